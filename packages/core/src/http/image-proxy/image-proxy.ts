import { cacheHeaders } from "./cache-policy.js";
import { fetchWithRedirects } from "./fetch-with-redirects.js";
import { type ImageProxyOptions, type ImageProxySettings, resolveImageProxyOptions } from "./options.js";
import { ConnectTimeoutError } from "./pinned-https-fetch.js";
import { ImageProxyRefusal, refusalResponse, refuseUrl } from "./refusal.js";
import { limitStream, readLimited, tooLarge } from "./size-limit.js";
import { checkImageUrl } from "./url-policy.js";

/** SVG can carry script; every other `image/*` type is inert when served from our origin. */
const REFUSED_IMAGE_TYPES = new Set(["image/svg+xml"]);

/** Headers that keep a proxied image an image: no sniffing it into HTML, no script if it were. */
const SAFE_IMAGE_HEADERS = {
  "x-content-type-options": "nosniff",
  "content-security-policy": "default-src 'none'; sandbox",
} as const;

/** Upstream headers worth passing on (validators let browsers revalidate cheaply). */
const PASSED_HEADERS = ["etag", "last-modified"] as const;

/**
 * A safe image proxy for creator avatars and thumbnails: answers `GET ?url=<image URL>` with the
 * image, so browsers can show CDN images that refuse hot-linking.
 *
 * It only fetches `https` URLs (plain `http` YouTube thumbnails are upgraded) on the image CDNs of
 * {@link DEFAULT_IMAGE_HOST_SUFFIXES} plus `options.allowedHostSuffixes`; resolves the host and
 * refuses it if any address is private, loopback, link-local, unique-local, multicast, CGNAT or
 * otherwise reserved (IPv4 or IPv6, including IPv4-mapped), then connects to exactly the checked
 * address; follows at most `maxRedirects` redirects, each checked the same way; serves only
 * `image/*` answers (not SVG) up to `maxBytes` within `timeoutMs`; and caches no longer than the
 * signed URL's own expiry (`x-expires`, `oe`). No client header goes upstream except the
 * validators `If-None-Match` / `If-Modified-Since`, so browsers can revalidate (304).
 *
 * Never throws: refusals are 4xx (400 bad `url`, 403 host or address not allowed, 405 method,
 * 413 too large, 415 not an image) and upstream failures 502 (504 on timeout), all with a JSON
 * `{ error, issues }` body and `Cache-Control: no-store`.
 *
 * @example
 * ```ts
 * // Next.js App Router: app/api/proxy/image/route.ts
 * export const GET = (request: Request) => imageProxy(request);
 * ```
 */
export async function imageProxy(request: Request, options?: ImageProxyOptions): Promise<Response> {
  let settings: ImageProxySettings;
  try {
    settings = resolveImageProxyOptions(options);
  } catch (error) {
    // A misconfiguration is the integrator's bug: say so loudly rather than serve around it.
    return refusalResponse(new ImageProxyRefusal(500, `Image proxy misconfigured: ${(error as Error).message}`));
  }
  const timeout = AbortSignal.timeout(settings.timeoutMs);
  const signal = anySignal([timeout, request.signal]);
  try {
    return await proxy(request, settings, signal);
  } catch (error) {
    if (error instanceof ImageProxyRefusal) return refusalResponse(error);
    if (timeout.aborted || error instanceof ConnectTimeoutError) {
      return refusalResponse(new ImageProxyRefusal(504, "Upstream image server timed out"));
    }
    if (request.signal.aborted) return refusalResponse(new ImageProxyRefusal(499, "Client closed the request"));
    return refusalResponse(new ImageProxyRefusal(502, "Upstream image server failed", { cause: error }));
  }
}

async function proxy(request: Request, settings: ImageProxySettings, signal: AbortSignal): Promise<Response> {
  if (request.method !== "GET" && request.method !== "HEAD") {
    throw new ImageProxyRefusal(405, `Method ${request.method} not allowed`, { headers: { allow: "GET, HEAD" } });
  }
  const values = new URL(request.url).searchParams.getAll("url");
  if (values.length === 0) throw refuseUrl(400, "is required");
  if (values.length > 1) throw refuseUrl(400, "must be given once");
  const url = checkImageUrl(values[0] ?? "", settings.hostSuffixes);

  const { response: upstream, urls } = await fetchWithRedirects(url, settings, signal, revalidationHeaders(request.headers));
  const body = upstream.body;
  try {
    if (upstream.status === 304) return notModified(upstream.headers, urls, settings);
    if (upstream.status < 200 || upstream.status > 299) {
      throw new ImageProxyRefusal(502, `Upstream answered ${upstream.status}`);
    }
    const contentType = (upstream.headers.get("content-type") ?? "").trim();
    const mediaType = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
    if (!/^image\/[a-z0-9.+-]+$/.test(mediaType) || REFUSED_IMAGE_TYPES.has(mediaType)) {
      throw new ImageProxyRefusal(415, `Upstream answer is ${mediaType || "untyped"}, not an image`);
    }
    const declared = declaredLength(upstream.headers);
    if (declared !== undefined && declared > settings.maxBytes) throw tooLarge(settings.maxBytes);

    const headers: Record<string, string> = {
      "content-type": mediaType,
      ...SAFE_IMAGE_HEADERS,
      ...cacheHeaders({ urls, upstream: upstream.headers, now: settings.now(), maxAgeSeconds: settings.maxAgeSeconds }),
    };
    for (const name of PASSED_HEADERS) {
      const value = upstream.headers.get(name);
      if (value) headers[name] = value;
    }
    if (request.method === "HEAD" || body === null) {
      await body?.cancel().catch(() => {});
      if (declared !== undefined) headers["content-length"] = String(declared);
      return new Response(null, { status: 200, headers });
    }
    if (declared !== undefined) {
      // Known size within the limit: stream it, still counting in case the upstream lied.
      headers["content-length"] = String(declared);
      return new Response(limitStream(body, settings.maxBytes), { status: 200, headers });
    }
    // Unknown size: buffer (at most maxBytes) so an oversized image is a clean 413, not a cut-off 200.
    const bytes = await readLimited(body, settings.maxBytes);
    headers["content-length"] = String(bytes.byteLength);
    return new Response(bytes, { status: 200, headers });
  } catch (error) {
    await body?.cancel().catch(() => {});
    throw error;
  }
}

/**
 * The browser's validators (`If-None-Match`, `If-Modified-Since`) are the only client headers
 * passed upstream: they carry no credentials and let a cached image be revalidated with a 304.
 */
function revalidationHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ["if-none-match", "if-modified-since"]) {
    const value = headers.get(name);
    if (value && value.length <= 1024) out[name] = value;
  }
  return out;
}

function notModified(upstream: Headers, urls: URL[], settings: ImageProxySettings): Response {
  const headers: Record<string, string> = {
    ...SAFE_IMAGE_HEADERS,
    ...cacheHeaders({ urls, upstream, now: settings.now(), maxAgeSeconds: settings.maxAgeSeconds }),
  };
  for (const name of PASSED_HEADERS) {
    const value = upstream.get(name);
    if (value) headers[name] = value;
  }
  return new Response(null, { status: 304, headers });
}

function declaredLength(headers: Headers): number | undefined {
  const value = headers.get("content-length");
  if (value === null || !/^\d{1,15}$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

/** `AbortSignal.any` exists from Node 20.3; this keeps Node 20.0-20.2 working too. */
function anySignal(signals: AbortSignal[]): AbortSignal {
  if (typeof AbortSignal.any === "function") return AbortSignal.any(signals);
  const controller = new AbortController();
  for (const signal of signals) {
    if (signal.aborted) {
      controller.abort(signal.reason);
      break;
    }
    signal.addEventListener("abort", () => controller.abort(signal.reason), { once: true });
  }
  return controller.signal;
}
