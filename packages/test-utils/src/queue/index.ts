/**
 * `@creatorsearch/test-utils/queue`: the conformance suite every queue adapter passes.
 *
 * @example
 * ```ts
 * import { queueConformanceSuite } from "@creatorsearch/test-utils/queue";
 * queueConformanceSuite("bullmqQueue", {
 *   create: (s) => bullmqQueue({ url, queueName: `test-${crypto.randomUUID()}`, ...s }),
 * });
 * ```
 *
 * @module @creatorsearch/test-utils/queue
 */
export { queueConformanceSuite, deliverTo } from "./suite.js";
export type { QueueSuiteOptions } from "./suite.js";
export type { QueueHarness, QueueSettings } from "./harness.js";
export { recordingConsumer } from "./recorder.js";
export type { Behaviour, DeliveryRecord, RecordingConsumer } from "./recorder.js";
