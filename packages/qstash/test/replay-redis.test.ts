import { type QueueConsumer } from "@creatorsearch/core";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { qstashQueue, redisReplayStore } from "../src/index.js";
import { createQStashStandIn } from "../src/testing/index.js";

/*
 * The shared replay store against a real Redis (127.0.0.1:6379 or REDIS_URL): a signature
 * accepted by one replica is refused by another, and forgotten once it expires.
 * Under CI=true a missing Redis fails this file instead of skipping it.
 */
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `cstest-qstash-jti-${process.pid}-${Date.now().toString(36)}:`;

async function reachable(): Promise<boolean> {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1000, retryStrategy: () => null });
  try {
    await probe.connect();
    await probe.ping();
    return true;
  } catch (error) {
    if (process.env.CI === "true") throw new Error(`Redis is required under CI=true but ${REDIS_URL} is unreachable: ${String(error)}`);
    return false;
  } finally {
    probe.disconnect();
  }
}

const hasRedis = await reachable();

describe.runIf(hasRedis)("redisReplayStore (real Redis)", () => {
  let a: Redis;
  let b: Redis;
  beforeAll(() => {
    a = new Redis(REDIS_URL);
    b = new Redis(REDIS_URL); // a second replica's own connection
  });
  afterAll(async () => {
    const keys = await a.keys(`${prefix}*`);
    if (keys.length) await a.del(...keys);
    a.disconnect();
    b.disconnect();
  });

  it("remembers an id once across connections, until it expires", async () => {
    const one = redisReplayStore(a, { prefix });
    const two = redisReplayStore(b, { prefix });
    const expiresAt = new Date(Date.now() + 400);
    expect(await one.remember("jti-1", expiresAt)).toBe(true);
    expect(await two.remember("jti-1", expiresAt)).toBe(false);
    expect(await one.remember("jti-1", expiresAt)).toBe(false);
    expect(await two.remember("jti-2", expiresAt)).toBe(true);
    const ttl = await a.pttl(`${prefix}jti-1`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(400);
    await new Promise((r) => setTimeout(r, 500));
    expect(await two.remember("jti-1", new Date(Date.now() + 400))).toBe(true);
  });

  it("concurrent remembers of one id: exactly one wins", async () => {
    const stores = [redisReplayStore(a, { prefix }), redisReplayStore(b, { prefix })];
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => stores[i % 2]!.remember("jti-race", new Date(Date.now() + 5000))));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it("two replicas of the webhook: a delivery replayed to the other one is 401 and runs nothing", async () => {
    const standIn = createQStashStandIn();
    const callbackUrl = "https://app.example.test/api/qstash/process-scraping";
    const replica = (redis: Redis) => qstashQueue({ ...standIn.credentials, callbackUrl, replayStore: redisReplayStore(redis, { prefix }), env: {} });
    const handled: unknown[] = [];
    const consumer: QueueConsumer = { handle: async (m) => void handled.push(m), onFailed: async () => undefined };
    const body = JSON.stringify({ jobId: "j", chain: "k0", step: 0 });
    const signature = await standIn.sign(callbackUrl, body);
    const request = () => new Request(callbackUrl, { method: "POST", headers: { "upstash-signature": signature }, body });
    expect((await replica(a).receive(request(), consumer)).status).toBe(200);
    const replay = await replica(b).receive(request(), consumer);
    expect(replay.status).toBe(401);
    expect(await replay.text()).toContain("replay");
    expect(handled).toHaveLength(1);
  });
});

describe.skipIf(hasRedis)(`redisReplayStore (no Redis at ${REDIS_URL})`, () => {
  it.skip("needs Redis", () => undefined);
});
