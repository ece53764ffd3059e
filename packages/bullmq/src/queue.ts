import {
  ClosedError,
  ConfigurationError,
  type EnqueueOptions,
  type EnqueueResult,
  type QueueAdapter,
  type QueueCloseOptions,
  type QueueConsumer,
  RetryAfterError,
  ShutdownError,
  type StepMessage,
  isRetryable,
} from "@creatorsearch/core";
import { DelayedError, Job, type KeepJobs, Queue, UnrecoverableError, WaitingError, Worker, type WorkerOptions } from "bullmq";
import type { Redis, RedisOptions } from "ioredis";
import { openConnections } from "./connection.js";
import { jobIdOf } from "./job-id.js";
import { type RedisConnectionChange, warnConnectionChange } from "./outage.js";

/** Options of {@link bullmqQueue}. Give either `url` or `connection`. */
export interface BullmqQueueOptions {
  /** Redis URL, e.g. `redis://127.0.0.1:6379`. */
  url?: string;
  /** ioredis options, or an ioredis client you own (it is never closed by the queue). */
  connection?: RedisOptions | Redis;
  /** BullMQ queue name. Default `"creatorsearch-steps"`. */
  queueName?: string;
  /** Redis key prefix. Default BullMQ's `"bull"`. */
  prefix?: string;
  /** Steps one worker process runs at once. Default 4. */
  concurrency?: number;
  /**
   * At most `max` steps start per `duration` ms, across every worker of the queue (BullMQ's
   * global rate limiter). Set it to your ScrapeCreators plan's rate. Default: no limit.
   */
  limiter?: { max: number; duration: number };
  /** Deliveries per message before it fails for good. Default 3. */
  attempts?: number;
  /** Exponential backoff between failed attempts: `delayMs * 2^(attempt-1)`. Default 1000. */
  backoffMs?: number;
  /**
   * Failed BullMQ jobs to keep for inspection. Default `true` (removed), so a failed step's
   * idempotency key is free again, as it is on every queue adapter. Completed jobs are always
   * removed, for the same reason.
   */
  removeOnFail?: KeepJobs;
  /**
   * BullMQ worker settings for crash recovery. A worker that dies mid-step holds its lock for
   * `lockDuration` ms; the stalled checker (every `stalledInterval` ms) then hands the step to
   * another worker. Defaults are BullMQ's: 30 000, 30 000, and `maxStalledCount` 1.
   * `runRetryDelay` (the pause before a worker fetches again after a connection error) defaults
   * to 1000 here instead of BullMQ's 15 000, so a worker resumes within a second of Redis coming back.
   */
  worker?: Pick<WorkerOptions, "lockDuration" | "stalledInterval" | "maxStalledCount" | "drainDelay" | "runRetryDelay">;
  /**
   * How the adapter rides out a Redis outage (restart, failover). Clients reconnect with an
   * exponential delay from 100 ms up to `maxDelayMs` (default 2000). An enqueue made while Redis
   * is unreachable waits in ioredis's offline queue and goes through once it is back; after
   * `enqueueRetries` reconnect attempts (default 20, about 35 s against a server that refuses
   * connections) it rejects, and the step is queued again from storage by `recoverStalled()`.
   * Applies to the clients this adapter creates from `url` or options, not to a client you pass.
   */
  reconnect?: { maxDelayMs?: number; enqueueRetries?: number };
  /**
   * Told once when a client loses Redis and once when it is back, with `host:port/db` and the
   * first error (passwords redacted). Default: one `console.warn` line each. Whatever it is,
   * connection errors never crash the process.
   */
  onConnectionChange?: (change: RedisConnectionChange) => void;
}

/** The queue {@link bullmqQueue} returns. */
export interface BullmqQueue extends QueueAdapter {
  start(consumer: QueueConsumer): Promise<void>;
  /** The BullMQ producer, for dashboards and metrics (`getJobCounts()`...). */
  readonly queue: Queue;
  /** The BullMQ worker once `start()` was called. */
  readonly worker: Worker | undefined;
  /**
   * Resolves once Redis answers; rejects with a `ConfigurationError` naming host, port and db
   * (never the password) after `timeoutMs` (default 5000). Optional: call it at start-up to fail
   * fast on a wrong URL.
   */
  ready(timeoutMs?: number): Promise<void>;
}

const DEFAULT_QUEUE_NAME = "creatorsearch-steps";
/** How long a step handed back on shutdown may take to reach Redis before its lock is left to expire. */
const HAND_BACK_MS = 2000;
/**
 * How long `close()` waits, once no step is running, for BullMQ to finish its own Redis work
 * (acknowledgements, lock release). It takes milliseconds with Redis up; with Redis down it
 * would wait for the reconnect, so the clients are dropped instead.
 */
const SETTLE_MS = 2000;
/**
 * BullMQ honours a manual rate limit (`queue.rateLimit`) only when the queue has a limiter. With
 * no limiter asked for, this one is high enough never to hold a step back.
 */
const UNLIMITED = { max: 1_000_000, duration: 1000 };

interface StepJobData extends StepMessage {
  /** Tells this enqueue from an earlier one with the same id (BullMQ returns the same id for both). */
  nonce: string;
}

/**
 * A queue on BullMQ (Redis), producer and worker in one adapter. Start as many worker processes
 * as you like on the same Redis and database: BullMQ hands each step to one of them, and a step
 * whose worker crashed is handed to another after its lock expires (stalled-job recovery).
 *
 * Mapping of the queue contract:
 * - idempotency key -> BullMQ job id (percent-encoded: BullMQ refuses `:` and all-digit ids);
 *   the dedupe window is while the message waits, is delayed or runs;
 * - retryable errors -> attempts with exponential backoff;
 * - `RetryAfterError` for an upstream rate limit (`RATE_LIMITED`) -> `queue.rateLimit(ms)` +
 *   `RateLimitError`: every worker pauses, since the upstream limit is shared, and no attempt is
 *   used;
 * - any other `RetryAfterError` (e.g. a step held by another worker) -> this message alone is
 *   delayed (`moveToDelayed` + `DelayedError`), also without using an attempt;
 * - errors with `retryable: false` -> `UnrecoverableError` (failed at once);
 * - `ShutdownError` (the engine handing a step back past its shutdown timeout) -> moved back to
 *   waiting (`moveToWait` + `WaitingError`), so another worker takes it at once.
 *
 * Redis outages: clients reconnect (see `reconnect`), enqueues wait out a restart, and when the
 * worker is back it asks the engine to queue again, from storage, the steps Redis may have lost
 * (`QueueConsumer.recover`), instead of leaving them to the stalled check.
 *
 * @example
 * ```ts
 * const cs = createCreatorSearch({
 *   storage: postgresStorage({ url: process.env.DATABASE_URL }),
 *   queue: bullmqQueue({ url: "redis://127.0.0.1:6379", concurrency: 8, limiter: { max: 20, duration: 1000 } }),
 *   platforms: [tiktok()],
 * });
 * ```
 */
export function bullmqQueue(options: BullmqQueueOptions): BullmqQueue {
  const settings = checkOptions(options);
  const connections = openConnections(options.url !== undefined ? { url: options.url } : { connection: options.connection! }, {
    maxDelayMs: settings.maxDelayMs,
    enqueueRetries: settings.enqueueRetries,
    onChange: options.onConnectionChange ?? warnConnectionChange,
  });
  const queueName = options.queueName ?? DEFAULT_QUEUE_NAME;
  const prefix = options.prefix !== undefined ? { prefix: options.prefix } : {};
  const queue = new Queue<StepJobData>(queueName, {
    connection: connections.producer(),
    ...prefix,
    defaultJobOptions: {
      attempts: settings.attempts,
      backoff: { type: "exponential", delay: settings.backoffMs },
      removeOnComplete: true,
      removeOnFail: options.removeOnFail ?? true,
    },
  });
  // Connection errors are retried by ioredis and reported by the connection monitor; without a
  // listener they would crash the process.
  queue.on("error", () => undefined);
  let worker: Worker<StepJobData> | undefined;
  let stopRecovering: (() => void) | undefined;
  let giveUp!: () => void;
  const forced = new Promise<void>((resolve) => (giveUp = resolve));
  let closing: Promise<void> | undefined;
  // Steps still running during close() enqueue their next step: refuse only once they are done.
  let closed = false;

  /** The BullMQ processor: runs the step and maps its outcome to BullMQ's retry semantics. */
  // Steps running in this process, and who waits for none to be.
  let running = 0;
  const idleWaiters = new Set<() => void>();
  const whenIdle = () => (running === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.add(resolve)));
  const processorFor = (consumer: QueueConsumer) => async (job: Job<StepJobData>, token?: string) => {
    running += 1;
    try {
      await runOne(consumer, job, token);
    } finally {
      running -= 1;
      if (running === 0) {
        for (const resolve of idleWaiters) resolve();
        idleWaiters.clear();
      }
    }
  };

  /** Moves a running job back to waiting with the producer's connection. */
  const handBack = async (job: Job<StepJobData>, token?: string) => {
    const own = await Job.fromId<StepJobData>(queue, job.id!);
    await own?.moveToWait(token);
  };

  /** Runs one delivery and maps its outcome to BullMQ's retry semantics. */
  const runOne = async (consumer: QueueConsumer, job: Job<StepJobData>, token?: string) => {
    const { jobId, chain, step } = job.data;
    const message: StepMessage = { jobId, chain, step };
    const maxAttempts = job.opts.attempts ?? settings.attempts;
    const attempt = job.attemptsMade + 1;
    try {
      await consumer.handle(message, { attempt, maxAttempts });
    } catch (error) {
      // By name too: the app's copy of core may not be the one this package resolves.
      if (error instanceof ShutdownError || (error as Error | null)?.name === "ShutdownError") {
        // Back to waiting at once (no attempt used, no lock to wait out), for another worker.
        // Through the producer's client: the closing worker's own client may no longer answer.
        // With Redis down this cannot be written: the lock then expires and the stalled check moves it.
        await withTimeout(handBack(job, token), HAND_BACK_MS).catch(() => undefined);
        throw new WaitingError();
      }
      if (error instanceof RetryAfterError) {
        if (error.code === "RATE_LIMITED") {
          await queue.rateLimit(Math.max(1, error.retryAfterMs));
          throw Worker.RateLimitError();
        }
        await job.moveToDelayed(Date.now() + error.retryAfterMs, token);
        throw new DelayedError();
      }
      const retryable = isRetryable(error);
      if (!retryable || attempt >= maxAttempts) {
        // The last delivery: tell the engine once, then let BullMQ record the step's own error.
        // If that fails too (database down), recoverStalled() re-queues the chain later.
        await consumer.onFailed(message, error).catch(() => undefined);
      }
      if (!retryable) throw new UnrecoverableError(error instanceof Error ? error.message : String(error));
      throw error;
    }
  };

  return {
    id: "bullmq",
    queue,
    get worker() {
      return worker;
    },
    ready: (timeoutMs = 5000) => connections.ready(timeoutMs),
    async enqueue(message: StepMessage, opts: EnqueueOptions): Promise<EnqueueResult> {
      if (closed) throw new ClosedError("bullmqQueue");
      const id = jobIdOf(opts.idempotencyKey);
      const nonce = globalThis.crypto.randomUUID();
      const data: StepJobData = { jobId: message.jobId, chain: message.chain, step: message.step, nonce };
      await queue.add("step", data, { jobId: id, ...(opts.delayMs ? { delay: opts.delayMs } : {}) });
      // BullMQ answers a duplicate id with the same id, so read back whose data is stored. A job
      // already finished and removed was ours.
      const stored = await queue.getJob(id);
      return { messageId: id, deduplicated: stored !== undefined && stored.data.nonce !== nonce };
    },
    async start(consumer: QueueConsumer) {
      if (closing) throw new ClosedError("bullmqQueue");
      if (worker) throw new ConfigurationError("bullmqQueue already has a consumer");
      worker = new Worker<StepJobData>(queueName, processorFor(consumer), {
        connection: connections.worker(),
        ...prefix,
        concurrency: settings.concurrency,
        limiter: options.limiter ?? UNLIMITED,
        runRetryDelay: 1000,
        ...options.worker,
      });
      // Failures are reported to the engine through onFailed; connection errors are retried.
      worker.on("error", () => undefined);
      // Steps that were waiting or delayed in a Redis that restarted without its data are gone:
      // queue them again from storage as soon as the worker is back, not at the next stalled check.
      stopRecovering = connections.onWorkerRestored(() => void consumer.recover?.().catch(() => undefined));
      await worker.waitUntilReady();
    },
    close({ force = false }: QueueCloseOptions = {}) {
      closing ??= (async () => {
        stopRecovering?.();
        // Stops fetching and waits for the steps in flight, unless a forced close gives up on them.
        const workerClosed = worker?.close();
        const settled = await Promise.race([
          workerClosed?.then(() => true),
          forced.then(() => false),
          whenIdle().then(() => sleep(SETTLE_MS)).then(() => false),
        ]);
        // No step left, but BullMQ still waits on Redis (down): drop the clients so it ends.
        if (!settled && worker) {
          connections.disconnect();
          void worker.disconnect().catch(() => undefined);
        }
        closed = true;
        await Promise.race([queue.close(), forced]);
        await connections.close();
      })();
      if (force) {
        // Give up on the steps in flight and on a Redis that does not answer: every command
        // waiting on a client fails now. A step given up keeps its BullMQ lock until it expires.
        giveUp();
        closed = true;
        connections.disconnect();
        void worker?.disconnect().catch(() => undefined);
        void queue.disconnect().catch(() => undefined);
      }
      return closing;
    },
  };
}

function checkOptions(options: BullmqQueueOptions) {
  if ((options.url === undefined) === (options.connection === undefined)) {
    throw new ConfigurationError("bullmqQueue needs exactly one of `url` or `connection`");
  }
  const whole = (name: string, value: number | undefined, fallback: number, min: number) => {
    if (value === undefined) return fallback;
    if (!Number.isInteger(value) || value < min) {
      throw new ConfigurationError(`bullmqQueue option ${name} must be a whole number >= ${min} (got ${value})`);
    }
    return value;
  };
  if (options.limiter) {
    whole("limiter.max", options.limiter.max, 0, 1);
    whole("limiter.duration", options.limiter.duration, 0, 1);
  }
  if (options.queueName !== undefined && (!options.queueName || options.queueName.includes(":"))) {
    throw new ConfigurationError(`bullmqQueue option queueName must be non-empty and without ":" (got "${options.queueName}")`);
  }
  return {
    maxDelayMs: whole("reconnect.maxDelayMs", options.reconnect?.maxDelayMs, 2000, 100),
    enqueueRetries: whole("reconnect.enqueueRetries", options.reconnect?.enqueueRetries, 20, 0),
    concurrency: whole("concurrency", options.concurrency, 4, 1),
    attempts: whole("attempts", options.attempts, 3, 1),
    backoffMs: whole("backoffMs", options.backoffMs, 1000, 0),
  };
}

/** `promise`, or a rejection after `ms`. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer from Redis within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
