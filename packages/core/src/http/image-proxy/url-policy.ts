import ipaddr from "ipaddr.js";
import { refuseUrl } from "./refusal.js";

/**
 * Host suffixes of the image CDNs ScrapeCreators answers link to (TikTok, Instagram / Facebook,
 * YouTube). Matched by suffix because shard prefixes (`p16-sign-va.`, `scontent-iad3-1.`) vary by
 * region and over time.
 */
export const DEFAULT_IMAGE_HOST_SUFFIXES: readonly string[] = Object.freeze([
  "tiktokcdn.com",
  "tiktokcdn-us.com",
  "tiktokcdn-eu.com",
  "cdninstagram.com",
  "fbcdn.net",
  "ytimg.com",
  "ggpht.com",
  "googleusercontent.com",
  "img.youtube.com",
]);

/** YouTube hands out some channel thumbnails as `http://`; those hosts serve the same image over https. */
const HTTPS_UPGRADE_SUFFIXES: readonly string[] = ["ytimg.com", "ggpht.com", "googleusercontent.com", "img.youtube.com"];

/** Longer URLs are not image links; refusing them early bounds the work per request. */
export const MAX_IMAGE_URL_LENGTH = 4096;

const hostMatches = (hostname: string, suffixes: readonly string[]) =>
  suffixes.some((suffix) => hostname === suffix || hostname.endsWith(`.${suffix}`));

/** Lower-cases and strips dots at the ends, so `.tiktokcdn.com` and `TikTokCDN.com` both allow the same hosts. */
export function normalizeHostSuffix(suffix: string): string {
  const normalized = suffix.trim().toLowerCase().replace(/^\.+|\.+$/g, "");
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(normalized)) {
    throw new TypeError(`Image proxy host suffix "${suffix}" is not a domain name with at least two labels`);
  }
  return normalized;
}

/**
 * Checks an image URL against the policy and returns the URL to fetch: absolute, `https` (plain
 * `http` only for YouTube hosts, upgraded), default port, no credentials, and a host *name* (never
 * an IP literal, in any notation) ending in one of `suffixes`. Throws a 400/403 refusal otherwise.
 *
 * The WHATWG parser already rewrites decimal, octal and hex IPv4 forms (`2130706433`, `0177.0.0.1`)
 * to dotted quads, so they are caught as IP literals here.
 */
export function checkImageUrl(raw: string, suffixes: readonly string[]): URL {
  if (raw.length === 0) throw refuseUrl(400, "must not be empty");
  if (raw.length > MAX_IMAGE_URL_LENGTH) throw refuseUrl(400, `must be at most ${MAX_IMAGE_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuseUrl(400, "must be an absolute URL");
  }
  if (url.username !== "" || url.password !== "") throw refuseUrl(400, "must not contain credentials");
  if (url.protocol === "http:" && hostMatches(url.hostname, HTTPS_UPGRADE_SUFFIXES) && url.port === "") {
    url = new URL(`https://${url.host}${url.pathname}${url.search}`);
  }
  if (url.protocol !== "https:") throw refuseUrl(400, "must use https");
  if (url.port !== "") throw refuseUrl(400, "must use the default https port");
  const hostname = url.hostname;
  if (hostname.startsWith("[") || ipaddr.isValid(hostname)) {
    throw refuseUrl(403, "must name a CDN host, not an IP address");
  }
  if (!hostMatches(hostname, suffixes)) throw refuseUrl(403, `host ${hostname} is not an allowed image CDN`);
  url.hash = "";
  return url;
}
