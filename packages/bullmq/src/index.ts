/**
 * `@creatorsearch/bullmq`: a BullMQ (Redis) queue for `@creatorsearch/core`. Workers scale out
 * by starting more processes, and a crashed worker's step is picked up by another.
 *
 * @module @creatorsearch/bullmq
 */
export { bullmqQueue } from "./queue.js";
export type { BullmqQueue, BullmqQueueOptions } from "./queue.js";
export { jobIdOf, idempotencyKeyOf } from "./job-id.js";
export type { RedisConnectionChange } from "./outage.js";
export { redactRedisUrl } from "./redact.js";
