import type { CreatorSearch } from "../engine/create.js";
import type { OperationDoc } from "./contract/operation.js";
import type { ResolvedHttpOptions } from "./options.js";

/** What a route handler gets. `userId` is set on every route but the public ones. */
export interface RouteContext {
  cs: CreatorSearch;
  request: Request;
  url: URL;
  params: Record<string, string>;
  userId: string;
  options: ResolvedHttpOptions;
}

export interface Route {
  method: "GET" | "POST" | "PATCH";
  /** Path under the base path; `:name` segments are parameters. */
  path: string;
  /** Public routes skip `authenticate` (the signed webhook, the OpenAPI document). */
  public?: boolean;
  /** What the OpenAPI document says about it: its input and answer schemas. */
  doc: OperationDoc;
  handle(ctx: RouteContext): Promise<Response>;
}

export type Match = { route: Route; params: Record<string, string> } | { allowed: string[] } | null;

/** Finds the route of `method path`; `{ allowed }` when the path exists for other methods only (405). */
export function matchRoute(routes: readonly Route[], method: string, segments: string[]): Match {
  const allowed: string[] = [];
  for (const route of routes) {
    const params = matchPath(route.path, segments);
    if (!params) continue;
    if (route.method === method || (method === "HEAD" && route.method === "GET")) return { route, params };
    allowed.push(route.method);
  }
  return allowed.length ? { allowed } : null;
}

function matchPath(pattern: string, segments: string[]): Record<string, string> | null {
  const parts = pattern.split("/").filter(Boolean);
  if (parts.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const segment = segments[i]!;
    if (part.startsWith(":")) params[part.slice(1)] = segment;
    else if (part !== segment) return null;
  }
  return params;
}
