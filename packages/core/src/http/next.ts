import type { RequestHandler } from "./handler.js";

/**
 * Route handlers for a Next.js App Router catch-all route (`app/api/[...creatorsearch]/route.ts`).
 * Accepts `cs` (configured with `http`) or any `Request => Response` handler.
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
} {
  const handle: RequestHandler = typeof handler === "function" ? handler : (request) => handler.handler(request);
  return { GET: handle, POST: handle, HEAD: handle };
}
