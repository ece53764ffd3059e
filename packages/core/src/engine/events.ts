import type { SearchChain, SearchJob } from "../model/job.js";
import type { StepMessage } from "../queue/types.js";

/**
 * Events of `cs.events` (a {@link CreatorSearchEmitter}), by name with their listener's signature.
 * They fire in the process that ran the step; with several worker processes, read progress from
 * storage (`jobs.get`) instead.
 */
export interface CreatorSearchEvents {
  /** A job was created and its first steps enqueued. */
  "job.created": (event: { job: SearchJob }) => void;
  /** A page was committed. */
  "job.progress": (event: { job: SearchJob; chain: SearchChain; newCreators: number }) => void;
  /** The job ended with status `completed`. */
  "job.completed": (event: { job: SearchJob }) => void;
  /** The job ended with status `error`. */
  "job.failed": (event: { job: SearchJob; error: unknown }) => void;
  /** The job was cancelled. */
  "job.cancelled": (event: { job: SearchJob }) => void;
  /** The job ran out of time. */
  "job.timeout": (event: { job: SearchJob }) => void;
  /** The job reached any terminal status. */
  "job.finished": (event: { job: SearchJob }) => void;
  /** A step attempt failed; the queue will retry it when `willRetry`. */
  "step.failed": (event: { message: StepMessage; error: unknown; willRetry: boolean }) => void;
}

/** Names of the events of {@link CreatorSearchEvents}. */
export type CreatorSearchEventName = keyof CreatorSearchEvents;

/**
 * The typed emitter of `cs.events`. At run time it is an eventemitter3 `EventEmitter`; the public
 * types declare only this interface, so they do not depend on how a consumer's TypeScript settings
 * resolve eventemitter3's own declarations.
 *
 * @example
 * ```ts
 * cs.events.on("job.progress", ({ job, newCreators }) => console.log(job.progress, newCreators));
 * ```
 */
export interface CreatorSearchEmitter {
  /** Adds `listener` for `event`. */
  on<K extends CreatorSearchEventName>(event: K, listener: CreatorSearchEvents[K]): this;
  /** Same as {@link CreatorSearchEmitter.on}. */
  addListener<K extends CreatorSearchEventName>(event: K, listener: CreatorSearchEvents[K]): this;
  /** Adds `listener` for the next `event` only. */
  once<K extends CreatorSearchEventName>(event: K, listener: CreatorSearchEvents[K]): this;
  /** Removes `listener` from `event`; without `listener`, removes every listener of `event`. */
  off<K extends CreatorSearchEventName>(event: K, listener?: CreatorSearchEvents[K]): this;
  /** Same as {@link CreatorSearchEmitter.off}. */
  removeListener<K extends CreatorSearchEventName>(event: K, listener?: CreatorSearchEvents[K]): this;
  /** Removes every listener of `event`, or of every event. */
  removeAllListeners(event?: CreatorSearchEventName): this;
  /** Calls the listeners of `event` synchronously; `true` when there was at least one. */
  emit<K extends CreatorSearchEventName>(event: K, ...args: Parameters<CreatorSearchEvents[K]>): boolean;
  /** The listeners of `event`. */
  listeners<K extends CreatorSearchEventName>(event: K): Array<CreatorSearchEvents[K]>;
  /** How many listeners `event` has. */
  listenerCount(event: CreatorSearchEventName): number;
  /** The events that have listeners. */
  eventNames(): CreatorSearchEventName[];
}
