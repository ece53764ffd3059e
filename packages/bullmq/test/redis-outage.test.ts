/**
 * Redis going away under the queue, on a redis-server of the test's own that it stops and
 * restarts (never the shared one): no crash, enqueues wait out a restart, lost steps are asked
 * back from storage on reconnect, and a step handed back on shutdown is taken by another worker
 * at once.
 */
import { ShutdownError, type StepMessage, stepKey } from "@creatorsearch/core";
import { recordingConsumer } from "@creatorsearch/test-utils/queue";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type BullmqQueue, type BullmqQueueOptions, type RedisConnectionChange, bullmqQueue, redactRedisUrl } from "../src/index.js";
import { type OwnRedisServer, redisServerInstalled, startOwnRedisServer } from "./support/redis-server.js";

const installed = await redisServerInstalled();
let redis: OwnRedisServer;
let n = 0;
const open: BullmqQueue[] = [];
const make = (options: Partial<BullmqQueueOptions> = {}) => {
  const queue = bullmqQueue({ url: redis.url, queueName: `outage${++n}`, worker: { drainDelay: 1 }, onConnectionChange: () => undefined, ...options });
  open.push(queue);
  return queue;
};
const message = (jobId: string, step = 0): StepMessage => ({ jobId, chain: "k0", step });
const enqueue = (queue: BullmqQueue, m: StepMessage) => queue.enqueue(m, { idempotencyKey: stepKey(m) });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("redactRedisUrl", () => {
  it("hides the password of every Redis URL, keeping user, host and port", () => {
    expect(redactRedisUrl("redis://:s3cret@db.internal:6380/2")).toBe("redis://:***@db.internal:6380/2");
    expect(redactRedisUrl("connect to rediss://app:s3cret@h:1 failed")).toBe("connect to rediss://app:***@h:1 failed");
    expect(redactRedisUrl("redis://onlysecret@h")).toBe("redis://***@h");
    expect(redactRedisUrl("redis://h:6379")).toBe("redis://h:6379");
  });

  it("keeps a password out of the error for a wrong scheme", () => {
    expect(() => bullmqQueue({ url: "http://:s3cret@h:6379" })).toThrow(/^(?!.*s3cret).*redis:\/\//);
  });
});

describe.skipIf(!installed)("bullmqQueue when Redis goes away (own redis-server)", () => {
  beforeAll(async () => {
    redis = await startOwnRedisServer();
  });
  afterEach(async () => {
    await redis.start().catch(() => undefined); // a test that stopped it leaves it running again
    await Promise.all(open.splice(0).map((q) => q.close()));
  });
  afterAll(async () => {
    await redis?.cleanup();
  });

  it("an enqueue made while Redis restarts waits, goes through, and is delivered; the outage is reported once per client", async () => {
    const changes: RedisConnectionChange[] = [];
    const queue = make({ onConnectionChange: (c) => changes.push(c) });
    const consumer = recordingConsumer();
    await queue.start(consumer);
    await enqueue(queue, message("before"));
    await consumer.until(() => consumer.of("before").length === 1, "the first step");

    await redis.stop();
    const pending = enqueue(queue, message("during"));
    await sleep(800); // several reconnect attempts, each an error event
    await redis.start();
    await expect(pending).resolves.toMatchObject({ deduplicated: false });
    await consumer.until(() => consumer.of("during").length === 1, "the step enqueued during the outage", 10_000);

    await consumer.until(() => changes.filter((c) => c.status === "restored").length === 2, "both clients back");
    const summary = changes.map((c) => `${c.role}:${c.status}`).sort();
    expect(summary).toEqual(["producer:lost", "producer:restored", "worker:lost", "worker:restored"]);
    for (const change of changes) expect(change.address).toBe(`127.0.0.1:${redis.port}/0`);
  }, 30_000);

  it("an enqueue during a long outage rejects after the bounded reconnect attempts, without crashing", async () => {
    const queue = make({ reconnect: { maxDelayMs: 100, enqueueRetries: 2 } });
    await queue.ready();
    await redis.stop();
    const started = Date.now();
    await expect(enqueue(queue, message("lost"))).rejects.toThrow(/max retries|reached the max/i);
    expect(Date.now() - started).toBeLessThan(5_000);
  }, 20_000);

  it("asks the engine to recover from storage when the worker is back after a restart that lost the queue's data", async () => {
    const queue = make();
    let recoveries = 0;
    const consumer = Object.assign(recordingConsumer(), { recover: async () => void (recoveries += 1) });
    await queue.start(consumer);
    await queue.enqueue(message("delayed"), { idempotencyKey: "delayed", delayMs: 60_000 });
    expect(await queue.queue.getDelayedCount()).toBe(1);

    await redis.restart(200); // no persistence: the delayed step is gone from Redis
    await consumer.until(() => recoveries === 1, "the recovery call after the reconnect", 10_000);
    expect(await queue.queue.getDelayedCount()).toBe(0);
    // The worker fetches again at once (runRetryDelay 1 s, not BullMQ's 15 s).
    const sent = Date.now();
    await enqueue(queue, message("after"));
    await consumer.until(() => consumer.of("after").length === 1, "a step after the restart", 10_000);
    expect(Date.now() - sent).toBeLessThan(3_000);
  }, 30_000);

  it("a step handed back on shutdown goes back to waiting and another worker takes it at once, with no attempt used", async () => {
    const name = `handback${++n}`;
    const leaving = make({ queueName: name, worker: { drainDelay: 1, lockDuration: 30_000, stalledInterval: 30_000 } });
    let handBack!: (error: Error) => void;
    const stuck = recordingConsumer(() => new Promise<void>((_, reject) => (handBack = reject)));
    await leaving.start(stuck);
    await enqueue(leaving, message("stuck"));
    await stuck.until(() => stuck.of("stuck").length === 1, "the stuck step");

    const staying = make({ queueName: name });
    const other = recordingConsumer();
    await staying.start(other);
    const closing = leaving.close();
    const handedBackAt = Date.now();
    handBack(new ShutdownError()); // what the engine's consumer throws past its shutdown timeout
    await closing;
    await other.until(() => other.of("stuck").length === 1, "the other worker to take the step", 5_000);
    expect(other.of("stuck")[0]!.at - handedBackAt).toBeLessThan(3_000); // not after the 30 s lock
    expect(other.of("stuck")[0]!.delivery.attempt).toBe(1);
    expect(stuck.failures).toEqual([]);
  }, 30_000);

  it("close() with no step running ends promptly while Redis is down", async () => {
    const queue = make();
    await queue.start(recordingConsumer());
    await queue.ready();
    await redis.stop();
    await new Promise((resolve) => setTimeout(resolve, 300)); // both clients see the outage
    const started = Date.now();
    await queue.close();
    expect(Date.now() - started).toBeLessThan(3_000);
  }, 20_000);

  it("a forced close ends at once even while Redis is down and a step is running", async () => {
    const queue = make();
    const consumer = recordingConsumer(() => new Promise<void>(() => undefined));
    await queue.start(consumer);
    await enqueue(queue, message("forever"));
    await consumer.until(() => consumer.of("forever").length === 1, "the running step");
    await redis.stop();
    const gentle = queue.close();
    const started = Date.now();
    await queue.close({ force: true });
    await gentle;
    expect(Date.now() - started).toBeLessThan(3_000);
  }, 20_000);
});
