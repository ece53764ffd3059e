/**
 * `@creatorsearch/express`: the creatorsearch HTTP routes on Express.
 *
 * - {@link toExpressHandler}: the middleware.
 * - {@link captureRawBody}: `express.json({ verify })` hook that keeps the webhook's raw bytes.
 *
 * @module @creatorsearch/express
 */
export { toExpressHandler } from "./handler.js";
export type { ExpressHandler } from "./handler.js";
export { captureRawBody } from "./raw-body.js";
