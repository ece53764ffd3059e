import { ConfigurationError } from "../errors.js";
import type { Authenticate } from "./auth/types.js";
import { imageProxy } from "./image-proxy/image-proxy.js";
import type { ImageProxyOptions } from "./image-proxy/options.js";
import { DEFAULT_MAX_BODY_BYTES } from "./request.js";
import { type RateLimitOption, jobRateLimit } from "./rate-limit.js";
import type { JobEventsOptions } from "./sse.js";

/** A handler of `GET /proxy/image`: called with the request, answers the image or a refusal. */
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
  /**
   * `GET /proxy/image?url=`: on by default with the safe {@link imageProxy} (allow-listed CDN
   * hosts, public addresses only, images only, size and time bounded). Pass its options to tune
   * it, your own handler to replace it, or `false` to turn the route off (it then answers 501).
   */
  imageProxy?: ImageProxyOptions | ImageProxy | false;
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
    imageProxy:
      options.imageProxy === false
        ? undefined
        : typeof options.imageProxy === "function"
          ? options.imageProxy
          : (request: Request) => imageProxy(request, options.imageProxy as ImageProxyOptions | undefined),
    checkJobRate: jobRateLimit(options.rateLimit),
    onError: options.onError ?? ((error) => console.error("[creatorsearch] request failed:", error)),
  };
}
