/**
 * Signed CDN URLs stop working at a time they carry themselves: TikTok `x-expires=<unix seconds>`,
 * Instagram / Facebook `oe=<unix seconds in hex>`. Returns that time, or undefined.
 */
export function urlExpiry(url: URL): Date | undefined {
  const tiktok = url.searchParams.get("x-expires");
  if (tiktok !== null && /^\d{1,12}$/.test(tiktok)) return new Date(Number(tiktok) * 1000);
  const meta = url.searchParams.get("oe");
  if (meta !== null && /^[0-9a-f]{1,10}$/i.test(meta)) return new Date(Number.parseInt(meta, 16) * 1000);
  return undefined;
}

/** What decides how long a proxied image may be cached. */
export interface CachePolicyInput {
  /** The requested URL and every redirect hop: the earliest expiry among them wins. */
  urls: readonly URL[];
  /** The upstream's own answer headers (`cache-control: no-store / max-age` are honoured). */
  upstream: Headers;
  now: Date;
  /** Upper bound, in seconds. */
  maxAgeSeconds: number;
}

/**
 * The `Cache-Control` (and `Expires`) headers of a successful answer: never longer than
 * `maxAgeSeconds`, than the upstream allows, or than the signed URL stays valid. An image whose URL
 * has already expired, or that the upstream marks `no-store`/`private`, is not cached at all.
 */
export function cacheHeaders(input: CachePolicyInput): Record<string, string> {
  const upstream = (input.upstream.get("cache-control") ?? "").toLowerCase();
  if (/(^|[\s,])(no-store|private|no-cache)([\s,=]|$)/.test(upstream)) return { "cache-control": "no-store" };
  let seconds = input.maxAgeSeconds;
  const upstreamMaxAge = /(?:^|[\s,])max-age=(\d+)/.exec(upstream)?.[1];
  if (upstreamMaxAge !== undefined) seconds = Math.min(seconds, Number(upstreamMaxAge));
  let expires: Date | undefined;
  for (const url of input.urls) {
    const expiry = urlExpiry(url);
    if (expiry && (!expires || expiry < expires)) expires = expiry;
  }
  if (expires) seconds = Math.min(seconds, Math.floor((expires.getTime() - input.now.getTime()) / 1000));
  if (!(seconds > 0)) return { "cache-control": "no-store" };
  return {
    "cache-control": `public, max-age=${seconds}`,
    expires: new Date(input.now.getTime() + seconds * 1000).toUTCString(),
  };
}
