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
  /** Stops taking messages and resolves when the steps in flight have finished. */
  close(): Promise<void>;
}
