import { queueConformanceSuite } from "@creatorsearch/test-utils/queue";
import { afterAll, describe, it } from "vitest";
import { bullmqQueue } from "../src/index.js";
import { REDIS_URL, deleteKeys, redisReachable, uniquePrefix } from "./redis.js";

const prefix = uniquePrefix("conformance");
let n = 0;

if (await redisReachable()) {
  queueConformanceSuite("bullmqQueue", {
    create: (s) =>
      bullmqQueue({
        url: REDIS_URL,
        prefix,
        queueName: `q${++n}`,
        concurrency: s.concurrency,
        attempts: s.attempts,
        backoffMs: s.backoffMs,
        worker: { drainDelay: 1 },
      }),
  });
  afterAll(() => deleteKeys(prefix));
} else {
  describe.skip(`bullmqQueue conformance (no Redis at ${REDIS_URL})`, () => it("needs Redis", () => undefined));
}
