import { hashString, mulberry32 } from "./data/random.js";
import { delay } from "./http/delay.js";
import { SandboxHttpError } from "./http/errors.js";
import { BASE_HEADERS, errorJson, json } from "./http/json.js";
import { RateWindow } from "./http/rate-window.js";
import { SANDBOX_KEYS } from "./keys.js";
import { type ResolvedSandboxOptions, resolveOptions, type SandboxOptions } from "./options.js";
import { routeTable } from "./routes/index.js";

/** A running sandbox: the Web-standard request handler plus its counters. */
export interface Sandbox {
  /**
   * Answers one request like `https://api.scrapecreators.com` would. Only the URL's path and
   * query, the method and the `x-api-key` header matter; the host is ignored.
   */
  fetch(request: Request): Promise<Response>;
  /** The options with defaults applied. */
  readonly options: Readonly<ResolvedSandboxOptions>;
  /** Credits charged so far. */
  readonly creditsUsed: number;
  /** `options.credits - creditsUsed`: what `credits_remaining` reports. */
  readonly creditsRemaining: number;
  /** Requests received so far, whatever their answer. */
  readonly totalRequests: number;
  /** Requests received per path (unknown paths included), whatever their answer. */
  requestCounts(): Record<string, number>;
  /** Requests received on one path. */
  requestCount(path: string): number;
  /** Back to a fresh state: credits, counters, cache, flaky and failure sequences, rate windows. */
  reset(): void;
}

const MISSING_KEY = "apiKey is required";

/**
 * Creates a sandbox: a deterministic, in-process stand-in for the ScrapeCreators API. Serve it
 * over HTTP with `startSandboxServer`, or plug its `fetch` into msw (`@creatorsearch/sandbox/msw`)
 * or into anything that takes a `fetch`.
 *
 * @example
 * ```ts
 * const sandbox = createSandbox({ resultsPerQuery: 90 });
 * const res = await sandbox.fetch(new Request("http://sandbox/v1/tiktok/search/keyword?query=soup", { headers: { "x-api-key": "any" } }));
 * ```
 */
export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const resolved = Object.freeze(resolveOptions(options));
  let creditsUsed = 0;
  let total = 0;
  let counts = new Map<string, number>();
  let flakyCounts = new Map<string, number>();
  let failures = mulberry32(hashString(`${resolved.seed}:failures`));
  const cache = new Map<string, string>();
  const rateWindow = resolved.rateLimit ? new RateWindow(resolved.rateLimit.max, resolved.rateLimit.intervalMs) : null;
  const remaining = () => resolved.credits - creditsUsed;
  const routes = routeTable(remaining);

  function answer(request: Request, path: string, params: URLSearchParams): Response {
    const route = routes.get(path);
    if (!route) return errorJson(404, `No endpoint at ${request.method} ${path}`, { error: "not_found" });
    if (request.method !== "GET") return errorJson(405, `Method ${request.method} not allowed on ${path}; use GET`, { error: "method_not_allowed" }, { allow: "GET, OPTIONS" });

    const key = request.headers.get("x-api-key")?.trim();
    if (!key) return errorJson(resolved.missingKeyStatus, MISSING_KEY);
    if (key === SANDBOX_KEYS.invalid) return errorJson(401, "Invalid API key", { error: "unauthorized" });
    if (key === SANDBOX_KEYS.rateLimit) return errorJson(429, "Rate limited. Wait a moment and retry.", { error: "rate_limited" }, { "retry-after": "1" });
    if (key === SANDBOX_KEYS.noCredits) return outOfCredits(0);
    if (rateWindow) {
      const waitMs = rateWindow.take(key);
      if (waitMs !== null) return errorJson(429, "Rate limited. Wait a moment and retry.", { error: "rate_limited" }, { "retry-after": String(Math.max(1, Math.ceil(waitMs / 1000))) });
    }
    if (key === SANDBOX_KEYS.flaky) {
      const n = (flakyCounts.get(path) ?? 0) + 1;
      flakyCounts.set(path, n);
      if (n % 2 === 1) return errorJson(500, `Internal server error (sandbox key ${SANDBOX_KEYS.flaky}: every other call fails)`, { error: "internal_error" });
    }
    if (resolved.failureRate > 0 && failures() < resolved.failureRate) {
      return errorJson(500, "Internal server error (sandbox failureRate)", { error: "internal_error" });
    }

    let result;
    try {
      result = route.handle({ params, options: resolved });
    } catch (error) {
      if (error instanceof SandboxHttpError) return errorJson(error.status, error.message, error.code ? { error: error.code } : {}, error.headers);
      throw error;
    }

    // cache_max_age: a repeat of a cacheable call is served from cache, free, flagged `cached`.
    let cachedAt: string | undefined;
    let cacheKey: string | undefined;
    if (route.cacheable && params.has("cache_max_age")) {
      const rest = [...params].filter(([k]) => k !== "cache_max_age").sort(([a], [b]) => a.localeCompare(b));
      cacheKey = `${path}?${new URLSearchParams(rest)}`;
      cachedAt = cache.get(cacheKey);
    }
    const cost = cachedAt ? 0 : (result.cost ?? 1);
    if (cost > remaining()) return outOfCredits(remaining());
    creditsUsed += cost;
    if (cacheKey && !cachedAt) cache.set(cacheKey, new Date().toISOString());

    const status = result.status ?? 200;
    return json(
      {
        success: status < 400,
        credits_remaining: remaining(),
        credits_charged: cost,
        ...(cachedAt ? { cached: true, cached_at: cachedAt } : {}),
        ...result.body,
      },
      status,
    );
  }

  return {
    options: resolved,
    get creditsUsed() {
      return creditsUsed;
    },
    get creditsRemaining() {
      return remaining();
    },
    get totalRequests() {
      return total;
    },
    requestCounts: () => Object.fromEntries(counts),
    requestCount: (path) => counts.get(path) ?? 0,
    reset() {
      creditsUsed = 0;
      total = 0;
      counts = new Map();
      flakyCounts = new Map();
      failures = mulberry32(hashString(`${resolved.seed}:failures`));
      cache.clear();
      rateWindow?.clear();
    },
    async fetch(request) {
      const url = new URL(request.url);
      const path = url.pathname.replace(/\/+$/, "") || "/";
      if (request.method === "OPTIONS") return new Response(null, { status: 204, headers: BASE_HEADERS });
      total++;
      counts.set(path, (counts.get(path) ?? 0) + 1);
      // Like a remote API, an answer takes `latencyMs` in all, its own work included.
      const started = performance.now();
      let response: Response;
      try {
        response = answer(request, path, url.searchParams);
      } catch (error) {
        // A bug in a handler: answer like an upstream failure rather than crash the server.
        response = errorJson(500, `Sandbox error: ${(error as Error)?.message ?? String(error)}`, { error: "internal_error" });
      }
      await delay(resolved.latencyMs - (performance.now() - started));
      return response;
    },
  };
}

/** 402 as the client expects it: the message starts with "Insufficient credits". */
function outOfCredits(left: number): Response {
  return errorJson(
    402,
    `Insufficient credits: this account has ${left} credit${left === 1 ? "" : "s"} left. Buy more at https://app.scrapecreators.com/billing.`,
    { credits_remaining: left, error: "insufficient_credits" },
  );
}
