import type { ResolvedSandboxOptions } from "../options.js";

/** What a route handler gets. */
export interface RouteContext {
  params: URLSearchParams;
  options: ResolvedSandboxOptions;
}

/** A route's answer, before the sandbox merges the credit envelope into it. */
export interface RouteResult {
  /** Default 200. Answers >= 400 get `success: false`. */
  status?: number;
  body: Record<string, unknown>;
  /** Credits the call costs. Default 1. */
  cost?: number;
}

/** One endpoint. Handlers are pure: same params and options, same result. */
export interface Route {
  path: string;
  /** Whether `cache_max_age` can serve it from cache (0 credits, `cached: true`). */
  cacheable?: boolean;
  /** Throws `SandboxHttpError` for 400s (they are free). */
  handle(context: RouteContext): RouteResult;
}
