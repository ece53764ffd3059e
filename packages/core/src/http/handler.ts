import type { CreatorSearch } from "../engine/create.js";
import { HttpError, errorResponse } from "./errors.js";
import { type HttpOptions, type ResolvedHttpOptions, resolveHttpOptions } from "./options.js";
import { MAX_URL_LENGTH } from "./request.js";
import { type Route, matchRoute } from "./router.js";
import { ALL_ROUTES } from "./routes/openapi.js";

/** A Web-standard request handler: `Request` in, `Response` out. */
export type RequestHandler = (request: Request) => Promise<Response>;

/** Every route, relative to the base path. */
export const ROUTES: readonly Route[] = ALL_ROUTES;

/**
 * Builds the HTTP handler of `cs`: the blueprint's routes under `basePath` (default `/api`).
 * `createCreatorSearch({ http })` calls it for you and exposes the result as `cs.handler` and
 * `cs.fetch`; call it directly to serve one instance under several configurations.
 *
 * Bad input is always a 4xx with `{ error, issues: [{ field, reason }] }`; another user's
 * campaign or job is a 404 exactly like a missing one.
 */
export function createHandler(cs: CreatorSearch, options: HttpOptions | ResolvedHttpOptions): RequestHandler {
  const resolved = "checkJobRate" in options ? options : resolveHttpOptions(options);
  return async (request) => {
    try {
      return await route(cs, resolved, request);
    } catch (error) {
      return errorResponse(error, (e) => resolved.onError(e, request));
    }
  };
}

async function route(cs: CreatorSearch, options: ResolvedHttpOptions, request: Request): Promise<Response> {
  if (request.url.length > MAX_URL_LENGTH) {
    throw new HttpError(414, `URL longer than ${MAX_URL_LENGTH} characters`, { issues: [{ field: "url", reason: `must be at most ${MAX_URL_LENGTH} characters` }] });
  }
  const url = new URL(request.url);
  const { basePath } = options;
  const path = url.pathname;
  if (basePath && path !== basePath && !path.startsWith(`${basePath}/`)) throw new HttpError(404, "No such route");
  let segments: string[];
  try {
    segments = path.slice(basePath.length).split("/").filter(Boolean).map(decodeURIComponent);
  } catch {
    throw new HttpError(404, "No such route");
  }
  const match = matchRoute(ROUTES, request.method, segments);
  if (!match) throw new HttpError(404, "No such route");
  if ("allowed" in match) {
    throw new HttpError(405, `Method ${request.method.slice(0, 20)} not allowed here`, { headers: { allow: match.allowed.join(", ") } });
  }
  let userId = "";
  if (!match.route.public) {
    let user: Awaited<ReturnType<typeof options.authenticate>> = null;
    try {
      user = await options.authenticate(request);
    } catch (error) {
      options.onError(error, request);
    }
    if (!user || typeof user.userId !== "string" || !user.userId) {
      throw new HttpError(401, "Sign in first: this route needs an authenticated user", { headers: { "www-authenticate": "Bearer" } });
    }
    userId = user.userId;
  }
  const response = await match.route.handle({ cs, request, url, params: match.params, userId, options });
  if (request.method === "HEAD") {
    await response.body?.cancel();
    return new Response(null, { status: response.status, headers: response.headers });
  }
  return response;
}
