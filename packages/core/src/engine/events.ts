import type { SearchChain, SearchJob } from "../model/job.js";
import type { StepMessage } from "../queue/types.js";

/**
 * Events of `cs.events` (an eventemitter3 emitter). They fire in the process that ran the step;
 * with several worker processes, read progress from storage (`jobs.get`) instead.
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
