import { resolvePublicAddress } from "./address-check.js";
import type { ImageProxySettings } from "./options.js";
import { ImageProxyRefusal, refuseUrl } from "./refusal.js";
import { checkImageUrl } from "./url-policy.js";

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** The final upstream answer and every URL visited to get it (first = the requested one). */
export interface UpstreamResult {
  response: Response;
  urls: URL[];
}

/**
 * Fetches `url` (already checked by the URL policy), following at most `maxRedirects` redirects by
 * hand: each hop's target goes through the same URL policy and address check as the first URL, so
 * a CDN redirect cannot lead to an internal address.
 */
export async function fetchWithRedirects(
  url: URL,
  settings: ImageProxySettings,
  signal: AbortSignal,
  extraHeaders: Record<string, string> = {},
): Promise<UpstreamResult> {
  const urls = [url];
  let current = url;
  for (let redirects = 0; ; redirects++) {
    const address = await resolvePublicAddress(current.hostname, settings.resolveHost, signal);
    const response = await settings.fetchUpstream({
      url: current,
      address,
      headers: { ...extraHeaders, accept: "image/avif,image/webp,image/*;q=0.8", "user-agent": settings.userAgent },
      signal,
      connectTimeoutMs: settings.connectTimeoutMs,
    });
    if (!REDIRECT_STATUSES.has(response.status)) return { response, urls };
    await response.body?.cancel().catch(() => {});
    if (redirects >= settings.maxRedirects) {
      throw new ImageProxyRefusal(502, `Upstream redirected more than ${settings.maxRedirects} times`);
    }
    const location = response.headers.get("location");
    if (!location) throw new ImageProxyRefusal(502, `Upstream answered ${response.status} without a Location`);
    let target: string;
    try {
      target = new URL(location, current).href;
    } catch {
      throw new ImageProxyRefusal(502, "Upstream redirected to an invalid URL");
    }
    try {
      current = checkImageUrl(target, settings.hostSuffixes);
    } catch (error) {
      if (error instanceof ImageProxyRefusal) throw refuseUrl(error.status, `redirect refused: ${error.message}`);
      throw error;
    }
    urls.push(current);
  }
}
