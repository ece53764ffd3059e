import { memoryQueue } from "@creatorsearch/core";
import { queueConformanceSuite } from "@creatorsearch/test-utils/queue";

queueConformanceSuite("memoryQueue", {
  create: (s) => memoryQueue({ concurrency: s.concurrency, attempts: s.attempts, backoff: { baseMs: s.backoffMs } }),
});
