import ky, { HTTPError, type KyInstance, TimeoutError } from "ky";
import PQueue from "p-queue";
import type { z } from "zod";
import {
  ConfigurationError,
  InsufficientCreditsError,
  RetryAfterError,
  UpstreamAuthError,
  UpstreamBadRequestError,
  UpstreamShapeError,
  UpstreamUnavailableError,
} from "../../errors.js";
import { parseJsonKeepingText } from "../../storage/raw-page-json.js";
import { toFieldIssues } from "../../util/zod.js";

export const DEFAULT_BASE_URL = "https://api.scrapecreators.com";

/** Options of {@link scrapeCreatorsClient}. */
export interface ScrapeCreatorsClientOptions {
  /** API key; falls back to `SCRAPECREATORS_API_KEY`. */
  apiKey?: string;
  /** Base URL; falls back to `SCRAPECREATORS_BASE_URL`, then `https://api.scrapecreators.com`. */
  baseUrl?: string;
  /** Per-request timeout in ms. Default 60 000 (searches take seconds upstream). */
  timeoutMs?: number;
  /** Retries of network errors, timeouts and 5xx inside one call. Default 2. */
  retries?: number;
  /** Calls in flight at once across every platform sharing this client. Default 8. */
  concurrency?: number;
  /** At most `max` calls start per `intervalMs`. Default: no limit (ScrapeCreators documents none). */
  rateLimit?: { max: number; intervalMs: number };
  /** `fetch` to use (tests, proxies). Default: global fetch. */
  fetch?: typeof fetch;
}

/** Per-call options of {@link ScrapeCreatorsClient.get} and {@link ScrapeCreatorsClient.getRaw}. */
export interface CallOptions {
  /** Aborts the call (and its retries). */
  signal?: AbortSignal | undefined;
  /**
   * Asked before each of the client's own retries (5xx, timeout, network error); a retry it does
   * not grant is not made and the call fails with the last error. A job step passes
   * {@link retriesWithinBudget}, so every request that reaches the API counts against the job's
   * API-call budget, retries included, as a redelivery after a 429 does. Default: always retry.
   */
  reserveRetry?: (() => Promise<boolean>) | undefined;
}

/**
 * The `reserveRetry` of a call made for a job step: each retry takes one call from the step's
 * `reserveApiCalls` (the job's budget). Without `reserveApiCalls` (an adapter called outside a
 * job) retries are not budgeted.
 */
export function retriesWithinBudget(reserveApiCalls: ((count: number) => Promise<number>) | undefined): CallOptions["reserveRetry"] {
  return reserveApiCalls ? async () => (await reserveApiCalls(1)) === 1 : undefined;
}

/** A typed GET against the ScrapeCreators API. */
export interface ScrapeCreatorsClient {
  readonly baseUrl: string;
  /**
   * GETs `path` with `params` (empty values omitted) and parses the body with `schema`.
   * Returns the parsed value and the raw JSON. Errors: {@link RetryAfterError} on 429,
   * {@link UpstreamAuthError}, {@link InsufficientCreditsError}, {@link UpstreamBadRequestError}
   * (non-retryable), {@link UpstreamShapeError} naming the field when the shape changed, and
   * {@link UpstreamUnavailableError} (retryable) once the client's own retries are spent.
   */
  get<S extends z.ZodType>(path: string, params: QueryParams, schema: S, options?: CallOptions): Promise<z.output<S>>;
  /** Like {@link get} but returns the raw JSON unparsed (it is stored before it is processed). */
  getRaw(path: string, params: QueryParams, options?: CallOptions): Promise<unknown>;
  /** Validates an already fetched raw body (a stored page) with `schema`. */
  parse<S extends z.ZodType>(path: string, raw: unknown, schema: S): z.output<S>;
}

/** Query parameters; `undefined`, `null` and `""` are omitted. */
export type QueryParams = Record<string, string | number | boolean | null | undefined>;

const API_KEY_REQUIRED = /api ?key (is )?required/i;

async function readMessage(response: Response): Promise<string> {
  const text = await response.clone().text().catch(() => "");
  try {
    const body = JSON.parse(text) as { message?: unknown; error?: unknown };
    const message = body.message ?? body.error;
    if (typeof message === "string" && message) return message;
  } catch {
    // not JSON: fall through to the text
  }
  return text.slice(0, 200) || response.statusText || `HTTP ${response.status}`;
}

function retryAfterMs(response: Response): number {
  const header = response.headers.get("retry-after");
  if (!header) return 5_000; // ScrapeCreators sends no header; a short pause is the polite guess
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? 5_000 : Math.max(0, date - Date.now());
}

/**
 * A ScrapeCreators client on ky: `x-api-key`, timeout, retries with backoff on network errors
 * and 5xx, a shared concurrency / rate limiter, and typed errors. Share one client between
 * platforms so they share the limiter.
 */
export function scrapeCreatorsClient(options: ScrapeCreatorsClientOptions = {}): ScrapeCreatorsClient {
  const apiKey = options.apiKey ?? process.env.SCRAPECREATORS_API_KEY;
  const baseUrl = (options.baseUrl ?? process.env.SCRAPECREATORS_BASE_URL ?? DEFAULT_BASE_URL).replace(/\/+$/, "");
  if (!apiKey) {
    throw new ConfigurationError(
      "ScrapeCreators API key missing: pass `apiKey` or set SCRAPECREATORS_API_KEY (get one at scrapecreators.com), or point SCRAPECREATORS_BASE_URL at the sandbox",
    );
  }
  const limiter = new PQueue({
    concurrency: options.concurrency ?? 8,
    ...(options.rateLimit ? { intervalCap: options.rateLimit.max, interval: options.rateLimit.intervalMs, strict: true } : {}),
  });
  const http: KyInstance = ky.create({
    prefixUrl: baseUrl,
    headers: { "x-api-key": apiKey, accept: "application/json" },
    timeout: options.timeoutMs ?? 60_000,
    // The body's text stays with the parsed page: storage saves it as is instead of serializing it again.
    parseJson: parseJsonKeepingText,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    retry: {
      limit: options.retries ?? 2,
      methods: ["get"],
      statusCodes: [408, 500, 502, 503, 504],
      retryOnTimeout: true,
      backoffLimit: 10_000,
      // "apiKey is required" arrives as a 500; retrying cannot fix it.
      shouldRetry: async ({ error }) =>
        error instanceof HTTPError && API_KEY_REQUIRED.test(await readMessage(error.response)) ? false : undefined,
    },
  });

  const parse = <S extends z.ZodType>(path: string, raw: unknown, schema: S): z.output<S> => {
    const result = schema.safeParse(raw);
    if (!result.success) throw new UpstreamShapeError(path, toFieldIssues(result.error));
    return result.data;
  };

  const toError = async (path: string, error: unknown): Promise<Error> => {
    if (error instanceof HTTPError) {
      const { status } = error.response;
      const message = await readMessage(error.response);
      if (status === 429) return new RetryAfterError(`ScrapeCreators rate limit on ${path}: ${message}`, retryAfterMs(error.response), { cause: error });
      if (status === 401 || status === 403 || API_KEY_REQUIRED.test(message))
        return new UpstreamAuthError(`ScrapeCreators refused the API key (${status}): ${message}. Check SCRAPECREATORS_API_KEY.`, { cause: error });
      if (status === 402)
        return new InsufficientCreditsError(`ScrapeCreators account is out of credits (402): ${message}. Buy credits at scrapecreators.com.`, { cause: error });
      if (status >= 400 && status < 500) return new UpstreamBadRequestError(status, `ScrapeCreators refused ${path} (${status}): ${message}`, { cause: error });
      return new UpstreamUnavailableError(`ScrapeCreators failed on ${path} (${status}): ${message}`, { cause: error, status });
    }
    if (error instanceof TimeoutError) return new UpstreamUnavailableError(`ScrapeCreators timed out on ${path}`, { cause: error });
    if (error instanceof Error && error.name === "AbortError") return error;
    return new UpstreamUnavailableError(`ScrapeCreators unreachable on ${path}: ${(error as Error)?.message ?? String(error)}`, { cause: error });
  };

  const getRaw = async (path: string, params: QueryParams, opts: CallOptions = {}): Promise<unknown> => {
      const searchParams: Record<string, string> = {};
      for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") searchParams[k] = String(v);
      const raw = await limiter.add(async () => {
        try {
          const { reserveRetry } = opts;
          // A retry the budget refuses is not made: the call fails with the error it would retry.
          const hooks = reserveRetry
            ? {
                beforeRetry: [
                  async ({ error }: { error: Error }) => {
                    if (!(await reserveRetry())) throw error;
                  },
                ],
              }
            : {};
          return await http.get(path.replace(/^\/+/, ""), { searchParams, signal: opts.signal, hooks }).json<unknown>();
        } catch (error) {
          throw await toError(path, error);
        }
      });
      const body = raw as { success?: unknown; message?: unknown } | null;
      if (body && typeof body === "object" && body.success === false) {
        throw new UpstreamBadRequestError(200, `ScrapeCreators answered success:false on ${path}: ${String(body.message ?? "no message")}`);
      }
      return raw;
  };

  return {
    baseUrl,
    parse,
    getRaw,
    async get(path, params, schema, opts = {}) {
      return parse(path, await getRaw(path, params, opts), schema);
    },
  };
}
