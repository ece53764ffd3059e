/**
 * The Web-standard HTTP layer: `createHandler` (also `cs.handler` / `cs.fetch`), auth hooks,
 * and the Next.js mount. Node's `http` mount lives in `@creatorsearch/core/node`.
 *
 * @module
 */
export { createHandler, ROUTES } from "./handler.js";
export { apiDocument } from "./routes/openapi.js";
export type { OpenApiDocument } from "./contract/openapi.js";
export { QSTASH_WEBHOOK_PATH } from "./routes/webhooks.js";
export type { RequestHandler } from "./handler.js";
export type { HttpOptions, ImageProxy } from "./options.js";
export { toNextHandler } from "./next.js";
export { supabaseAuth } from "./auth/supabase.js";
export type { SupabaseAuthOptions } from "./auth/supabase.js";
export { devAuth } from "./auth/dev.js";
export type { DevAuthOptions } from "./auth/dev.js";
export type { Authenticate, AuthenticatedUser } from "./auth/types.js";
export { DEFAULT_JOB_RATE_LIMIT } from "./rate-limit.js";
export type { JobRateLimiter, RateLimitOption } from "./rate-limit.js";
export type { JobEventsOptions } from "./sse.js";
export type { ErrorBody } from "./errors.js";
export type { BlueprintCreator, JobProgress } from "./views.js";
export { DEFAULT_MAX_BODY_BYTES, MAX_URL_LENGTH } from "./request.js";
