/** A queue message: run step `step` of `chain` of job `jobId`. */
export interface StepMessage {
  jobId: string;
  chain: string;
  step: number;
}

/** The idempotency key of a step message: `jobId:chain:step`. */
export function stepKey(message: StepMessage): string {
  return `${message.jobId}:${message.chain}:${message.step}`;
}

export interface EnqueueOptions {
  /**
   * Messages with the same key are collapsed while one is waiting, delayed or running.
   * The engine always sets it to {@link stepKey}. Adapters document their dedupe window.
   */
  idempotencyKey: string;
  /** Deliver no sooner than this many milliseconds from now. */
  delayMs?: number;
}

export interface EnqueueResult {
  messageId: string;
  /** `true` when a message with the same idempotency key was already queued. */
  deduplicated: boolean;
}

/** Facts about one delivery of a message. */
export interface Delivery {
  /** 1 for the first delivery, 2 for the first retry... */
  attempt: number;
  /** Deliveries allowed before the message fails for good. */
  maxAttempts: number;
}

/** What a pull queue calls when it delivers. */
export interface QueueConsumer {
  /**
   * Runs one step. Resolving acknowledges the message. Throwing a `RetryAfterError` re-delivers
   * after its delay without using an attempt; throwing an error with `retryable: false` fails
   * the message at once; any other error is retried with backoff until `maxAttempts`.
   */
  handle(message: StepMessage, delivery: Delivery): Promise<void>;
  /** Called once when a message fails for good (non-retryable, or attempts exhausted). */
  onFailed(message: StepMessage, error: unknown): Promise<void>;
  /**
   * Queues again, from storage, every step the queue may have lost. A queue calls it when its
   * backend comes back after an outage (e.g. a Redis restart that dropped waiting messages), so
   * those steps run at once rather than at the next scheduled `recoverStalled()`. Idempotency
   * keys collapse the steps that were not lost.
   */
  recover?(): Promise<void>;
}

/** Options of {@link QueueAdapter.close}. */
export interface QueueCloseOptions {
  /**
   * Stop now instead of waiting for the steps in flight (a second `close` during a first one may
   * force it). Their messages are redelivered by the queue's own means (lock or visibility
   * expiry, retries), and their steps by lease expiry.
   */
  force?: boolean;
}

/**
 * Moves step messages from the engine to the code that runs them. Deliveries are at least once:
 * the engine's steps are safe to run twice, concurrently, or after a crash.
 * The adapter owns its connections.
 */
export interface QueueAdapter {
  /** Stable id used in logs and tests, e.g. `"memory"`, `"bullmq"`, `"qstash"`. */
  readonly id: string;
  /** Queues a message; collapses duplicates by `idempotencyKey` (see {@link EnqueueOptions}). */
  enqueue(message: StepMessage, options: EnqueueOptions): Promise<EnqueueResult>;
  /**
   * Starts delivering messages to `consumer` (pull queues). Push queues (QStash) deliver
   * through the HTTP handler instead and do not implement it.
   */
  start?(consumer: QueueConsumer): Promise<void>;
  /**
   * Push queues (QStash) receive deliveries as HTTP requests. Verifies the request (signature,
   * body, URL), hands the message to `consumer`, and answers in the queue's own terms (for
   * QStash: 200 done or duplicate, 401 bad signature, 429 + Retry-After, 489 non-retryable).
   * The core HTTP handler routes `POST /qstash/process-scraping` here via
   * `CreatorSearch.receiveDelivery`. Pull queues do not implement it.
   */
  receive?(request: Request, consumer: QueueConsumer): Promise<Response>;
  /**
   * Stops taking messages and resolves when the steps in flight have finished, or at once with
   * `{ force: true }`. The engine bounds the wait: past its shutdown timeout it aborts the steps
   * in flight (they hand their message back) and then forces the close.
   */
  close(options?: QueueCloseOptions): Promise<void>;
}
