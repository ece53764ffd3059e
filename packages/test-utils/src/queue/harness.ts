import type { QueueAdapter } from "@creatorsearch/core";

/** Queue settings every adapter can express; the harness maps them to its own options. */
export interface QueueSettings {
  /** Steps running at once (per worker). */
  concurrency: number;
  /** Deliveries per message before it fails for good. */
  attempts: number;
  /** Exponential backoff base: the n-th retry waits at least `backoffMs * 2^(n-1)`. */
  backoffMs: number;
}

/** Plugs one queue adapter into {@link queueConformanceSuite}. */
export interface QueueHarness {
  /** A fresh adapter with `settings`, isolated from other tests (its own queue name, prefix...). */
  create(settings: QueueSettings): QueueAdapter | Promise<QueueAdapter>;
  /**
   * Push queues only (no `start`): route the queue's HTTP deliveries to `deliver`, e.g. from a
   * stand-in server that signs and POSTs each message. `deliver` answers like the real webhook
   * (the suite passes `queue.receive(request, consumer)`, or `cs.receiveDelivery` for the engine
   * checks). Pull queues omit it: the suite calls `queue.start(consumer)`.
   */
  connect?(queue: QueueAdapter, deliver: (request: Request) => Promise<Response>): void | Promise<void>;
  /** Runs after each test, once the queues are closed (delete Redis keys, stop servers...). */
  teardown?(): void | Promise<void>;
}
