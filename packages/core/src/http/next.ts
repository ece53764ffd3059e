import type { RequestHandler } from "./handler.js";

/**
 * Route handlers for a Next.js App Router catch-all route (`app/api/[...creatorsearch]/route.ts`).
 * Export at least `GET` and `POST`. Accepts `cs` (configured with `http`) or any `Request => Response` handler.
 *
 * @example
 * ```ts
 * // app/api/[...creatorsearch]/route.ts
 * export const { GET, POST } = toNextHandler(cs);
 * ```
 */
export function toNextHandler(handler: { handler: RequestHandler } | RequestHandler): {
  GET: RequestHandler;
  POST: RequestHandler;
  HEAD: RequestHandler;
  PUT: RequestHandler;
  PATCH: RequestHandler;
  DELETE: RequestHandler;
  OPTIONS: RequestHandler;
} {
  const handle: RequestHandler = typeof handler === "function" ? handler : (request) => handler.handler(request);
  // Every method goes to the handler, so wrong methods get its 405 with `Allow` rather than Next's bare one.
  return { GET: handle, POST: handle, HEAD: handle, PUT: handle, PATCH: handle, DELETE: handle, OPTIONS: handle };
}
