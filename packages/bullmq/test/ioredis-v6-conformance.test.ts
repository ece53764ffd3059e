import { queueConformanceSuite } from "@creatorsearch/test-utils/queue";
import { Redis as RedisV6 } from "ioredis-v6";
import { afterAll, describe, expect, it, vi } from "vitest";
import { bullmqQueue } from "../src/index.js";
import { bullmqHarness } from "./conformance-harness.js";
import { REDIS_URL, deleteKeys, redisReachable, uniquePrefix } from "./redis.js";

/*
 * The queue contract on ioredis 6 (devDependency `ioredis-v6`, an alias of ioredis@6), the newest
 * major the peer range allows; conformance.test.ts runs on ioredis 5. `ioredis` is mocked with
 * ioredis 6 for this file, so bullmqQueue({ url }) opens its producer and worker clients with
 * ioredis 6, as it does where ioredis@6 is the `ioredis` installed. A client of the caller's
 * (`connection`) from ioredis 6 is checked too.
 */
vi.mock("ioredis", async () => await import("ioredis-v6"));

const prefix = uniquePrefix("conformance-v6");
let n = 0;

if (await redisReachable()) {
  afterAll(() => deleteKeys(prefix));

  describe("bullmqQueue on ioredis 6", () => {
    it("opens its clients with ioredis 6 (RESP3 by default)", async () => {
      const queue = bullmqQueue({ url: REDIS_URL, prefix, queueName: `v6-${++n}` });
      try {
        await queue.ready();
        const client = queue.queue.opts.connection as unknown as RedisV6;
        expect(client).toBeInstanceOf(RedisV6);
        expect(client.options.protocol).toBe(3);
      } finally {
        await queue.close();
      }
    });

    it("runs on an ioredis 6 client the caller owns, and leaves it open", async () => {
      const client = new RedisV6(REDIS_URL, { maxRetriesPerRequest: null });
      const queue = bullmqQueue({ connection: client as never, prefix, queueName: `v6-${++n}`, worker: { drainDelay: 1 } });
      try {
        const handled: number[] = [];
        await queue.start({ handle: async (m) => void handled.push(m.step), onFailed: async () => undefined });
        await queue.enqueue({ jobId: "own", chain: "k0", step: 7 }, { idempotencyKey: "own:k0:7" });
        await vi.waitFor(() => expect(handled).toEqual([7]), { timeout: 5000 });
        await queue.close();
        expect(await client.ping()).toBe("PONG");
      } finally {
        client.disconnect();
      }
    });
  });

  queueConformanceSuite("bullmqQueue (ioredis 6)", bullmqHarness(prefix));
} else {
  describe.skip(`bullmqQueue conformance on ioredis 6 (no Redis at ${REDIS_URL})`, () => it("needs Redis", () => undefined));
}
