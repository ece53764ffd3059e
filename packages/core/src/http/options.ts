import { ConfigurationError } from "../errors.js";
import type { Authenticate } from "./auth/types.js";
import { DEFAULT_MAX_BODY_BYTES } from "./request.js";
import { type RateLimitOption, jobRateLimit } from "./rate-limit.js";
import type { JobEventsOptions } from "./sse.js";

/** Image proxy: the `GET /proxy/image` route calls it with the request. */
export type ImageProxy = (request: Request) => Promise<Response>;

/** Options of the HTTP handler (`createCreatorSearch({ http })` or `createHandler(cs, options)`). */
export interface HttpOptions {
  /**
   * Resolves the caller (required). Every route but the signed QStash webhook needs a user.
   * Use {@link supabaseAuth}, {@link devAuth} (local only) or your own function.
   */
  authenticate: Authenticate;
  /** Path prefix of every route. Default `/api` (the blueprint's). Use `""` to serve at the root. */
  basePath?: string;
  /** Per-user limit on starting jobs; default 30 a minute; `false` turns it off. */
  rateLimit?: RateLimitOption;
  /** Largest JSON body accepted, in bytes (413 above). Default 64 KiB. */
  maxBodyBytes?: number;
  /** Tuning of `GET /jobs/:id/events`. */
  events?: JobEventsOptions;
  /** Handler of `GET /proxy/image`; until one is configured the route answers 501. */
  imageProxy?: ImageProxy;
  /** Called with every error that became a 500 (a bug or an outage, never bad input). Default: `console.error`. */
  onError?: (error: unknown, request: Request) => void;
}

export interface ResolvedHttpOptions {
  authenticate: Authenticate;
  basePath: string;
  maxBodyBytes: number;
  events: JobEventsOptions;
  imageProxy: ImageProxy | undefined;
  checkJobRate: (userId: string) => Promise<void>;
  onError: (error: unknown, request: Request) => void;
}

export function resolveHttpOptions(options: HttpOptions): ResolvedHttpOptions {
  if (typeof options?.authenticate !== "function") {
    throw new ConfigurationError("http.authenticate is required: pass supabaseAuth({ jwtSecret }), devAuth() for local use, or your own (request) => ({ userId }) | null");
  }
  const basePath = `/${(options.basePath ?? "/api").split("/").filter(Boolean).join("/")}`.replace(/^\/$/, "");
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1) throw new ConfigurationError("http.maxBodyBytes must be a positive whole number");
  return {
    authenticate: options.authenticate,
    basePath,
    maxBodyBytes,
    events: options.events ?? {},
    imageProxy: options.imageProxy,
    checkJobRate: jobRateLimit(options.rateLimit),
    onError: options.onError ?? ((error) => console.error("[creatorsearch] request failed:", error)),
  };
}
