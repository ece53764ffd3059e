import { type HostResolver, systemResolver } from "./address-check.js";
import { type UpstreamFetcher, pinnedHttpsFetch } from "./pinned-https-fetch.js";
import { DEFAULT_IMAGE_HOST_SUFFIXES, normalizeHostSuffix } from "./url-policy.js";

/** Options of {@link imageProxy}. Every field has a safe default. */
export interface ImageProxyOptions {
  /**
   * More host suffixes to allow, on top of {@link DEFAULT_IMAGE_HOST_SUFFIXES}
   * (e.g. `["my-bucket.s3.amazonaws.com"]`). A suffix allows the host itself and its subdomains.
   */
  allowedHostSuffixes?: readonly string[];
  /** Largest image served, in bytes. Default 5 MB (5 * 1024 * 1024). */
  maxBytes?: number;
  /** Redirects followed, each checked like the first URL. Default 3. */
  maxRedirects?: number;
  /** Time allowed for TCP + TLS to one upstream. Default 5 000 ms. */
  connectTimeoutMs?: number;
  /** Time allowed for the whole request, body included. Default 15 000 ms. */
  timeoutMs?: number;
  /** Longest `Cache-Control: max-age`, in seconds; shorter when the signed URL expires sooner. Default 86 400. */
  maxAgeSeconds?: number;
  /** Sent upstream as `User-Agent`. */
  userAgent?: string;
  /** Host name resolver. Default: the operating system's (`dns.lookup`, all addresses). */
  resolveHost?: HostResolver;
  /**
   * Performs one upstream request to an already-checked address. Default: `node:https` pinned to
   * that address. Replace it only with something that also connects to `request.address`.
   */
  fetchUpstream?: UpstreamFetcher;
  /** Clock used for cache lifetimes. */
  now?: () => Date;
}

/** Options with defaults applied and validated. */
export interface ImageProxySettings {
  hostSuffixes: readonly string[];
  maxBytes: number;
  maxRedirects: number;
  connectTimeoutMs: number;
  timeoutMs: number;
  maxAgeSeconds: number;
  userAgent: string;
  resolveHost: HostResolver;
  fetchUpstream: UpstreamFetcher;
  now: () => Date;
}

/** Default limits of {@link imageProxy}: 5 MB, 3 redirects, 5 s connect, 15 s total, cached at most a day. */
export const IMAGE_PROXY_DEFAULTS = {
  maxBytes: 5 * 1024 * 1024,
  maxRedirects: 3,
  connectTimeoutMs: 5_000,
  timeoutMs: 15_000,
  maxAgeSeconds: 86_400,
  userAgent: "creatorsearch-image-proxy/1",
} as const;

function positiveInteger(name: string, value: number | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min) throw new TypeError(`imageProxy option ${name} must be an integer >= ${min}, got ${value}`);
  return value;
}

/** Applies defaults; throws a `TypeError` naming the option for a nonsensical value (a programming error). */
export function resolveImageProxyOptions(options: ImageProxyOptions = {}): ImageProxySettings {
  const extra = (options.allowedHostSuffixes ?? []).map(normalizeHostSuffix);
  return {
    hostSuffixes: [...new Set([...DEFAULT_IMAGE_HOST_SUFFIXES, ...extra])],
    maxBytes: positiveInteger("maxBytes", options.maxBytes, IMAGE_PROXY_DEFAULTS.maxBytes),
    maxRedirects: positiveInteger("maxRedirects", options.maxRedirects, IMAGE_PROXY_DEFAULTS.maxRedirects, 0),
    connectTimeoutMs: positiveInteger("connectTimeoutMs", options.connectTimeoutMs, IMAGE_PROXY_DEFAULTS.connectTimeoutMs),
    timeoutMs: positiveInteger("timeoutMs", options.timeoutMs, IMAGE_PROXY_DEFAULTS.timeoutMs),
    maxAgeSeconds: positiveInteger("maxAgeSeconds", options.maxAgeSeconds, IMAGE_PROXY_DEFAULTS.maxAgeSeconds, 0),
    userAgent: options.userAgent ?? IMAGE_PROXY_DEFAULTS.userAgent,
    resolveHost: options.resolveHost ?? systemResolver,
    fetchUpstream: options.fetchUpstream ?? ((request) => pinnedHttpsFetch(request)),
    now: options.now ?? (() => new Date()),
  };
}
