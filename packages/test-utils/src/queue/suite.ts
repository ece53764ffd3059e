import { CreatorSearchError, type QueueAdapter, type QueueConsumer, RetryAfterError, type StepMessage, stepKey } from "@creatorsearch/core";
import { afterEach, describe, expect, it } from "vitest";
import { engineChecks } from "./engine-check.js";
import type { QueueHarness, QueueSettings } from "./harness.js";
import { type Behaviour, type RecordingConsumer, recordingConsumer, sleep } from "./recorder.js";

/** Options of {@link queueConformanceSuite}. */
export interface QueueSuiteOptions {
  /**
   * Timer slack in ms allowed below a promised delay (clock skew between the test and the
   * queue's server). Default 50.
   */
  slackMs?: number;
}

const DEFAULTS: QueueSettings = { concurrency: 4, attempts: 3, backoffMs: 200 };

/**
 * The contract every queue adapter must meet, as a vitest suite: delivery, delay, dedupe by
 * idempotency key, retry with exponential backoff, `RetryAfterError` honoured without using an
 * attempt, non-retryable errors not retried, the concurrency limit held, `close()` waiting for
 * running steps, and the engine's invariants when every step is delivered twice (one after the
 * other, and at once): the same creators as a plain run, and one API call per page.
 *
 * @example
 * ```ts
 * queueConformanceSuite("memoryQueue", {
 *   create: (s) => memoryQueue({ concurrency: s.concurrency, attempts: s.attempts, backoff: { baseMs: s.backoffMs } }),
 * });
 * ```
 */
export function queueConformanceSuite(name: string, harness: QueueHarness, options: QueueSuiteOptions = {}): void {
  const slack = options.slackMs ?? 50;
  const open: QueueAdapter[] = [];

  /** A fresh queue delivering to a recording consumer that runs `behaviour`. */
  const setup = async (behaviour?: Behaviour, settings: Partial<QueueSettings> = {}) => {
    const queue = await harness.create({ ...DEFAULTS, ...settings });
    open.push(queue);
    const consumer = recordingConsumer(behaviour);
    await deliverTo(harness, queue, consumer);
    return { queue, consumer };
  };
  let n = 0;
  const message = (chain = "k0", step = 0): StepMessage => ({ jobId: `job-${process.pid}-${Date.now()}-${++n}`, chain, step });
  const enqueue = (queue: QueueAdapter, m: StepMessage, delayMs?: number) =>
    queue.enqueue(m, { idempotencyKey: stepKey(m), ...(delayMs ? { delayMs } : {}) });

  describe(`queue conformance: ${name}`, () => {
    afterEach(async () => {
      await Promise.all(open.splice(0).map((q) => q.close()));
      await harness.teardown?.();
    });

    it("delivers a message once, with its fields and attempt 1", async () => {
      const { queue, consumer } = await setup();
      const m = message("k1", 3);
      const result = await enqueue(queue, m);
      expect(result.deduplicated).toBe(false);
      expect(result.messageId).toBeTruthy();
      await consumer.until(() => consumer.of(m.jobId).length === 1, "the delivery");
      await sleep(300); // nothing else arrives
      expect(consumer.of(m.jobId)).toHaveLength(1);
      expect(consumer.of(m.jobId)[0]!.message).toEqual(m);
      expect(consumer.of(m.jobId)[0]!.delivery.attempt).toBe(1);
      expect(consumer.failures).toEqual([]);
    });

    it("holds a delayed message back for its delay, and not the others", async () => {
      const { queue, consumer } = await setup();
      const late = message();
      const early = message();
      const sent = Date.now();
      await enqueue(queue, late, 1000);
      await enqueue(queue, early);
      await consumer.until(() => consumer.of(late.jobId).length === 1, "the delayed delivery");
      const lateAt = consumer.of(late.jobId)[0]!.at;
      const earlyAt = consumer.of(early.jobId)[0]!.at;
      expect(lateAt - sent).toBeGreaterThanOrEqual(1000 - slack);
      expect(earlyAt).toBeLessThan(lateAt);
      expect(earlyAt - sent).toBeLessThan(1000);
    });

    it("collapses messages with the same idempotency key while one is pending", async () => {
      const { queue, consumer } = await setup();
      const m = message();
      const first = await enqueue(queue, m, 500);
      const second = await enqueue(queue, m, 500);
      const third = await enqueue(queue, { ...m }, 0);
      expect(first.deduplicated).toBe(false);
      expect(second.deduplicated).toBe(true);
      expect(third.deduplicated).toBe(true);
      const other = message();
      expect((await enqueue(queue, other, 500)).deduplicated).toBe(false); // another key is not collapsed
      await consumer.until(() => consumer.of(other.jobId).length === 1, "the other message");
      await sleep(500);
      expect(consumer.of(m.jobId)).toHaveLength(1);
    });

    it("retries a failing step with exponential backoff, counting attempts", async () => {
      const { queue, consumer } = await setup((_m, _d, nth) => {
        if (nth < 2) throw new Error(`transient failure ${nth + 1}`);
      });
      const m = message();
      await enqueue(queue, m);
      await consumer.until(() => consumer.of(m.jobId).length === 3, "three deliveries", 20_000);
      await sleep(200);
      const [a, b, c] = consumer.of(m.jobId);
      expect([a!.delivery.attempt, b!.delivery.attempt, c!.delivery.attempt]).toEqual([1, 2, 3]);
      expect(a!.delivery.maxAttempts).toBe(DEFAULTS.attempts);
      expect(b!.at - a!.at).toBeGreaterThanOrEqual(DEFAULTS.backoffMs - slack);
      expect(c!.at - b!.at).toBeGreaterThanOrEqual(2 * DEFAULTS.backoffMs - slack);
      expect(consumer.of(m.jobId)).toHaveLength(3);
      expect(consumer.failures).toEqual([]);
    });

    it("fails a step for good after its last attempt and reports it once", async () => {
      const boom = new Error("always fails");
      const { queue, consumer } = await setup(() => {
        throw boom;
      }, { attempts: 2, backoffMs: 50 });
      const m = message();
      await enqueue(queue, m);
      await consumer.until(() => consumer.failures.length === 1, "onFailed", 20_000);
      await sleep(400);
      expect(consumer.of(m.jobId).map((d) => d.delivery.attempt)).toEqual([1, 2]);
      expect(consumer.failures).toHaveLength(1);
      expect(consumer.failures[0]!.message).toEqual(m);
      expect(String((consumer.failures[0]!.error as Error)?.message ?? consumer.failures[0]!.error)).toContain("always fails");
    });

    it("re-delivers after a RetryAfterError's delay without using an attempt", async () => {
      const { queue, consumer } = await setup((_m, _d, nth) => {
        if (nth < 2) throw new RetryAfterError("upstream said slow down", 400);
      }, { attempts: 1 });
      const m = message();
      await enqueue(queue, m);
      await consumer.until(() => consumer.of(m.jobId).length === 3, "three deliveries", 20_000);
      await sleep(200);
      const [a, b, c] = consumer.of(m.jobId);
      expect(b!.at - a!.at).toBeGreaterThanOrEqual(400 - slack);
      expect(c!.at - b!.at).toBeGreaterThanOrEqual(400 - slack);
      // attempts: 1, yet delivered three times and never failed: Retry-After is not a failure.
      expect([a!.delivery.attempt, b!.delivery.attempt, c!.delivery.attempt]).toEqual([1, 1, 1]);
      expect(consumer.failures).toEqual([]);
      expect(consumer.of(m.jobId)).toHaveLength(3);
    });

    it("does not retry a non-retryable error and reports it once", async () => {
      const { queue, consumer } = await setup(() => {
        throw new CreatorSearchError("UPSTREAM_AUTH", "the API key was refused");
      });
      const m = message();
      await enqueue(queue, m);
      await consumer.until(() => consumer.failures.length === 1, "onFailed");
      await sleep(2 * DEFAULTS.backoffMs + 300);
      expect(consumer.of(m.jobId)).toHaveLength(1);
      expect(consumer.failures).toHaveLength(1);
      expect((consumer.failures[0]!.error as Error).message).toContain("API key was refused");
    });

    it("never runs more steps at once than its concurrency", async () => {
      const { queue, consumer } = await setup(() => sleep(200), { concurrency: 2 });
      const messages = Array.from({ length: 6 }, () => message());
      for (const m of messages) await enqueue(queue, m);
      await consumer.until(() => consumer.deliveries.length === 6 && consumer.running === 0, "six deliveries", 20_000);
      expect(consumer.maxRunning).toBe(2);
    });

    it("close() waits for the steps in flight, which may still enqueue their next step", async () => {
      let finished = false;
      let enqueueError: unknown = "not called";
      let target: QueueAdapter | undefined;
      const { queue, consumer } = await setup(async (m) => {
        if (m.step > 0) return;
        await sleep(500);
        // A step that commits during shutdown queues its successor, like the engine does.
        enqueueError = await enqueue(target!, { ...m, step: 1 }).then(() => null, (error: unknown) => error);
        finished = true;
      });
      target = queue;
      await enqueue(queue, message());
      await consumer.until(() => consumer.running === 1, "the step to start");
      await queue.close();
      expect(finished).toBe(true);
      expect(consumer.running).toBe(0);
      expect(enqueueError).toBeNull();
    });

    engineChecks(harness, open);
  });
}

/** Starts delivery from `queue` to `consumer`: `start` for pull queues, the harness's route for push queues. */
export async function deliverTo(harness: QueueHarness, queue: QueueAdapter, consumer: QueueConsumer): Promise<void> {
  if (queue.start) return queue.start(consumer);
  if (!harness.connect || !queue.receive) {
    throw new Error(`queue "${queue.id}" has no start(); a push queue needs receive() and harness.connect()`);
  }
  const receive = queue.receive.bind(queue);
  await harness.connect(queue, (request) => receive(request, consumer));
}

export type { RecordingConsumer };
