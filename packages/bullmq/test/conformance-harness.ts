import type { QueueHarness } from "@creatorsearch/test-utils/queue";
import { bullmqQueue } from "../src/index.js";
import { REDIS_URL } from "./redis.js";

/** The queue conformance suite's harness: a fresh BullMQ queue per check, under `prefix`. */
export function bullmqHarness(prefix: string): QueueHarness {
  let n = 0;
  return {
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
  };
}
