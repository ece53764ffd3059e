/** BullMQ-specific behaviour beyond the shared conformance suite, on a real Redis. */
import { RetryAfterError, StepBusyError, type StepMessage, stepKey } from "@creatorsearch/core";
import { recordingConsumer } from "@creatorsearch/test-utils/queue";
import { Redis } from "ioredis";
import { Redis as RedisV6 } from "ioredis-v6";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { type BullmqQueue, bullmqQueue, jobIdOf } from "../src/index.js";
import { REDIS_URL, deleteKeys, redisReachable, uniquePrefix } from "./redis.js";

const prefix = uniquePrefix("mapping");
const up = await redisReachable();
let n = 0;
const open: BullmqQueue[] = [];
const make = (options: Partial<Parameters<typeof bullmqQueue>[0]> = {}) => {
  const queue = bullmqQueue({ url: REDIS_URL, prefix, queueName: `m${++n}`, worker: { drainDelay: 1 }, ...options } as Parameters<typeof bullmqQueue>[0]);
  open.push(queue);
  return queue;
};
const message = (jobId: string, step = 0): StepMessage => ({ jobId, chain: "k0", step });
const enqueue = (queue: BullmqQueue, m: StepMessage) => queue.enqueue(m, { idempotencyKey: stepKey(m) });

describe.skipIf(!up)("bullmqQueue on Redis", () => {
  afterEach(async () => {
    await Promise.all(open.splice(0).map((q) => q.close()));
  });
  afterAll(() => deleteKeys(prefix));

  it("an upstream 429 pauses every step of the queue; a busy step is delayed alone", async () => {
    const limited = make({ concurrency: 2 });
    const limitedConsumer = recordingConsumer((m, _d, nth) => {
      if (m.jobId === "slow" && nth === 0) throw new RetryAfterError("ScrapeCreators 429", 800);
    });
    await limited.start(limitedConsumer);
    await enqueue(limited, message("slow"));
    await limitedConsumer.until(() => limitedConsumer.of("slow").length === 1, "the 429");
    const sent = Date.now();
    await enqueue(limited, message("other"));
    await limitedConsumer.until(() => limitedConsumer.of("other").length === 1, "the other step");
    expect(limitedConsumer.of("other")[0]!.at - sent).toBeGreaterThanOrEqual(500); // held back by the rate limit

    const busy = make({ concurrency: 2 });
    const busyConsumer = recordingConsumer((m, _d, nth) => {
      if (m.jobId === "held" && nth === 0) throw new StepBusyError("held", "k0", 0, 800);
    });
    await busy.start(busyConsumer);
    await enqueue(busy, message("held"));
    await busyConsumer.until(() => busyConsumer.of("held").length === 1, "the busy step");
    const sent2 = Date.now();
    await enqueue(busy, message("free"));
    await busyConsumer.until(() => busyConsumer.of("free").length === 1, "the free step");
    expect(busyConsumer.of("free")[0]!.at - sent2).toBeLessThan(500); // not held back
    await busyConsumer.until(() => busyConsumer.of("held").length === 2, "the busy step again");
    expect(busyConsumer.of("held")[1]!.at - busyConsumer.of("held")[0]!.at).toBeGreaterThanOrEqual(750);
    expect(busyConsumer.of("held")[1]!.delivery.attempt).toBe(1);
  });

  it("stores the step under its encoded job id and removes it once done", async () => {
    const queue = make();
    const m = message("7c1d:odd:id");
    await queue.enqueue(m, { idempotencyKey: stepKey(m), delayMs: 60_000 });
    const job = await queue.queue.getJob(jobIdOf(stepKey(m)));
    expect(job?.data).toMatchObject(m);
    expect(await job?.getState()).toBe("delayed");
    await job!.promote();
    const consumer = recordingConsumer();
    await queue.start(consumer);
    await consumer.until(() => consumer.deliveries.length === 1, "the promoted step");
    await consumer.until(() => false, "", 300).catch(() => undefined); // let BullMQ finish the job
    expect(await queue.queue.getJob(jobIdOf(stepKey(m)))).toBeUndefined(); // the key is free again
  });

  it("uses a caller's ioredis client without closing it", async () => {
    const client = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    try {
      const queue = make({ url: undefined, connection: client });
      const consumer = recordingConsumer();
      await queue.start(consumer);
      await enqueue(queue, message("own-client"));
      await consumer.until(() => consumer.deliveries.length === 1, "the delivery");
      await queue.close();
      expect(await client.ping()).toBe("PONG");
    } finally {
      client.disconnect();
    }
  });

  it("uses a caller's client of another ioredis major (told by its methods, not instanceof)", async () => {
    const client = new RedisV6(REDIS_URL, { maxRetriesPerRequest: null });
    try {
      const queue = make({ url: undefined, connection: client as never });
      expect(queue.queue.opts.connection).toBe(client); // not mistaken for options
      const consumer = recordingConsumer();
      await queue.start(consumer);
      await enqueue(queue, message("v6-client"));
      await consumer.until(() => consumer.deliveries.length === 1, "the delivery");
      await queue.close();
      expect(await client.ping()).toBe("PONG");
    } finally {
      client.disconnect();
    }
  });
});
