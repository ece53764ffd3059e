/**
 * `@creatorsearch/qstash`: run creatorsearch jobs on Upstash QStash.
 *
 * - {@link qstashQueue}: publishes steps and verifies their deliveries (`cs.receiveDelivery`).
 * - {@link memoryReplayStore}, {@link redisReplayStore} / {@link ReplayStore}: where accepted signatures are remembered.
 * - {@link QSTASH_DEV_CREDENTIALS}: the dev server's public keys, refused in production.
 * - An in-process QStash stand-in for tests lives in `@creatorsearch/qstash/testing`.
 *
 * @module @creatorsearch/qstash
 */
export { qstashQueue, QStashDeliveryFailedError } from "./queue.js";
export type { QStashQueue } from "./queue.js";
export { DEFAULT_FLOW_CONTROL, FAILURE_CALLBACK_PARAM, FAILURE_CALLBACK_VALUE } from "./options.js";
export type { QStashQueueOptions, QStashFlowControl, ResolvedQStashOptions } from "./options.js";
export { memoryReplayStore, redisReplayStore } from "./replay.js";
export type { ReplayStore, MemoryReplayStoreOptions, RedisReplayStoreOptions, RedisSetIfAbsent } from "./replay.js";
export { QSTASH_DEV_CREDENTIALS, isDevelopmentCredential } from "./dev-credentials.js";
export { StepMessageSchema } from "./messages.js";
