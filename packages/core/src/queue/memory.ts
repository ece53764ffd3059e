import PQueue from "p-queue";
import { ClosedError, RetryAfterError, isRetryable } from "../errors.js";
import {
  type EnqueueOptions,
  type EnqueueResult,
  type QueueAdapter,
  type QueueCloseOptions,
  type QueueConsumer,
  type StepMessage,
} from "./types.js";

/** Options of {@link memoryQueue}. */
export interface MemoryQueueOptions {
  /** Steps running at once. Default 4. */
  concurrency?: number;
  /** At most `max` steps start per `intervalMs` (sliding window). Default: no limit. */
  rateLimit?: { max: number; intervalMs: number };
  /** Deliveries per message before it fails for good. Default 3. */
  attempts?: number;
  /** Exponential backoff between failed attempts: `baseMs * 2^(attempt-1)`, capped at `maxMs`. */
  backoff?: { baseMs?: number; maxMs?: number };
  /**
   * Back-pressure from the event loop: no step starts while the loop's delay (how late a timer
   * due every 20 ms fires) is above this many milliseconds; steps already
   * running go on. Steps share the loop with whatever else the process serves (HTTP requests,
   * new connections), and a step's parse and commit run on it. Default: off.
   */
  maxLoopDelayMs?: number;
}

/** How often the loop delay is sampled for `maxLoopDelayMs`. */
export const LOOP_SAMPLE_MS = 20;

/** The queue {@link memoryQueue} returns. */
export interface MemoryQueue extends QueueAdapter {
  start(consumer: QueueConsumer): Promise<void>;
  /** Messages waiting, delayed or running. */
  readonly size: number;
  /** Steps running now. */
  readonly running: number;
  /** Steps that may run at once (the `concurrency` option). */
  readonly concurrency: number;
  /** Resolves when no message is waiting, delayed or running. */
  onIdle(): Promise<void>;
}

interface Entry {
  id: string;
  message: StepMessage;
  attempt: number;
  timer?: ReturnType<typeof setTimeout>;
}

/**
 * An in-process queue on p-queue: concurrency, a sliding-window rate limit, delays, retries with
 * exponential backoff, and `RetryAfterError` honoured without using an attempt.
 *
 * Nothing survives the process: messages waiting when it exits are gone. That is safe because
 * job state lives in storage, and `recoverStalled()` re-enqueues unfinished chains at start-up.
 * Dedupe window: a message is collapsed with one of the same idempotency key that is waiting,
 * delayed or running; once that one finishes, the key is free again.
 */
export function memoryQueue(options: MemoryQueueOptions = {}): MemoryQueue {
  const maxAttempts = options.attempts ?? 3;
  const baseMs = options.backoff?.baseMs ?? 500;
  const maxMs = options.backoff?.maxMs ?? 30_000;
  const pqueue = new PQueue({
    concurrency: options.concurrency ?? 4,
    ...(options.rateLimit
      ? { intervalCap: options.rateLimit.max, interval: options.rateLimit.intervalMs, strict: true }
      : {}),
  });
  const live = new Map<string, Entry>(); // idempotency key -> entry (waiting, delayed or running)
  const loop = options.maxLoopDelayMs !== undefined ? loopDelaySampler(options.maxLoopDelayMs) : undefined;
  const idleWaiters = new Set<() => void>();
  let consumer: QueueConsumer | undefined;
  let closed = false;
  // close() resolved: enqueue refuses. Before that, steps still running may queue their next step.
  let finished = false;
  let nextId = 0;
  // Resolves a pending close() at once when a later close({ force: true }) gives up waiting.
  let forceClose: (() => void) | undefined;

  const settle = (key: string) => {
    live.delete(key);
    if (live.size === 0) for (const resolve of idleWaiters) resolve();
    if (live.size === 0) idleWaiters.clear();
  };

  const schedule = (key: string, entry: Entry, delayMs: number) => {
    if (closed) return settle(key);
    if (delayMs > 0) {
      entry.timer = setTimeout(() => {
        entry.timer = undefined;
        schedule(key, entry, 0);
      }, delayMs);
      return;
    }
    if (!consumer) return; // delivered once start() is called
    void pqueue.add(() => deliver(key, entry));
  };

  const deliver = async (key: string, entry: Entry) => {
    const c = consumer!;
    if (loop) await loop.calm(() => closed);
    if (closed) return settle(key);
    try {
      await c.handle(entry.message, { attempt: entry.attempt, maxAttempts });
      settle(key);
    } catch (error) {
      if (closed) return settle(key);
      if (error instanceof RetryAfterError) return schedule(key, entry, error.retryAfterMs);
      if (isRetryable(error) && entry.attempt < maxAttempts) {
        const delay = Math.min(maxMs, baseMs * 2 ** (entry.attempt - 1));
        entry.attempt += 1;
        return schedule(key, entry, delay);
      }
      try {
        await c.onFailed(entry.message, error);
      } finally {
        settle(key);
      }
    }
  };

  return {
    id: "memory",
    get size() {
      return live.size;
    },
    get running() {
      return pqueue.pending;
    },
    get concurrency() {
      return pqueue.concurrency;
    },
    async enqueue(message: StepMessage, opts: EnqueueOptions): Promise<EnqueueResult> {
      if (finished) throw new ClosedError("memoryQueue");
      if (closed) {
        // A step finishing during close() queues its successor. Nothing will deliver it in this
        // process; its chain has no lease, so recoverStalled() re-enqueues it at the next start.
        return { messageId: `mem-dropped-${++nextId}`, deduplicated: false };
      }
      const existing = live.get(opts.idempotencyKey);
      if (existing) return { messageId: existing.id, deduplicated: true };
      const entry: Entry = { id: `mem-${++nextId}`, message: { ...message }, attempt: 1 };
      live.set(opts.idempotencyKey, entry);
      schedule(opts.idempotencyKey, entry, opts.delayMs ?? 0);
      return { messageId: entry.id, deduplicated: false };
    },
    async start(c: QueueConsumer) {
      if (consumer) throw new Error("memoryQueue already has a consumer");
      consumer = c;
      // Sampled from the start, so the first step already knows how the loop is doing.
      loop?.start();
      // Messages enqueued before start() are waiting without a timer: deliver them now.
      for (const [key, entry] of live) if (!entry.timer) schedule(key, entry, 0);
    },
    onIdle() {
      if (live.size === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.add(resolve));
    },
    async close({ force = false }: QueueCloseOptions = {}) {
      if (force) forceClose?.();
      closed = true;
      loop?.stop();
      for (const [key, entry] of live) {
        if (entry.timer) {
          clearTimeout(entry.timer);
          settle(key);
        }
      }
      pqueue.clear();
      if (!force) {
        // Waits for the steps in flight; a forced close stops waiting (their chains' leases expire
        // and recoverStalled() re-enqueues them at the next start).
        await Promise.race([pqueue.onIdle(), new Promise<void>((resolve) => (forceClose = resolve))]);
      }
      for (const key of [...live.keys()]) settle(key);
      finished = true;
    },
  };
}

/**
 * Measures the event loop's delay from `start()` to `stop()`: a timer due every
 * `LOOP_SAMPLE_MS` ms, and how late it fired (unref'd: it never keeps a process alive).
 * A timer rather than `perf_hooks`: the queue runs on any runtime.
 */
function loopDelaySampler(maxDelayMs: number) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let delayMs = 0;
  const tick = (due: number) => {
    const now = performance.now();
    delayMs = Math.max(0, now - due);
    timer = setTimeout(() => tick(now + LOOP_SAMPLE_MS), LOOP_SAMPLE_MS);
    (timer as { unref?: () => void }).unref?.();
  };
  return {
    start() {
      if (!timer) tick(performance.now());
    },
    stop() {
      clearTimeout(timer);
      timer = undefined;
      delayMs = 0;
    },
    /** Resolves once the last sample is within the limit (at once when stopped, or when `stop()` says to give up). */
    async calm(stop: () => boolean): Promise<void> {
      while (timer && delayMs > maxDelayMs && !stop()) await new Promise((resolve) => setTimeout(resolve, LOOP_SAMPLE_MS));
    },
  };
}
