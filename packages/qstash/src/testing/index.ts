/**
 * `@creatorsearch/qstash/testing`: an in-process QStash for tests, no network and no account.
 *
 * - {@link createQStashStandIn}: accepts publishes, then delivers real signed requests with
 *   delays, retries, 489, dedupe ids, flow control, failure callbacks and optional duplicates.
 * - {@link qstashHandlers}: msw handlers that point the QStash API at the stand-in.
 * - {@link startQStashStandInServer}: the stand-in over `node:http`, for other processes (`QSTASH_URL`).
 * - {@link signDelivery}: signs a request like QStash, to forge good and bad signatures.
 *
 * @example
 * ```typescript
 * const standIn = createQStashStandIn();
 * const msw = setupServer(...qstashHandlers(standIn));
 * msw.listen({ onUnhandledRequest: "bypass" });
 * const queue = qstashQueue({ ...standIn.credentials, callbackUrl: `${webhook.url}/api/qstash/process-scraping` });
 * ```
 *
 * @module @creatorsearch/qstash/testing
 */
export { createQStashStandIn } from "./stand-in.js";
export type { QStashStandIn, QStashStandInOptions, PublishedMessage, DeliveryAttempt } from "./stand-in.js";
export { qstashHandlers } from "./msw.js";
export { startQStashStandInServer } from "./server.js";
export type { QStashStandInServer, QStashStandInServerOptions } from "./server.js";
export { signDelivery, bodyHash } from "./sign.js";
export type { SignDeliveryInput } from "./sign.js";
