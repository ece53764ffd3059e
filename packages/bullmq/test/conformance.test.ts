import { queueConformanceSuite } from "@creatorsearch/test-utils/queue";
import { afterAll, describe, it } from "vitest";
import { bullmqHarness } from "./conformance-harness.js";
import { REDIS_URL, deleteKeys, redisReachable, uniquePrefix } from "./redis.js";

const prefix = uniquePrefix("conformance");

if (await redisReachable()) {
  queueConformanceSuite("bullmqQueue", bullmqHarness(prefix));
  afterAll(() => deleteKeys(prefix));
} else {
  describe.skip(`bullmqQueue conformance (no Redis at ${REDIS_URL})`, () => it("needs Redis", () => undefined));
}
