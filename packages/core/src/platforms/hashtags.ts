import { unique } from "../model/metrics.js";

const HASHTAG = /#([\p{L}\p{N}_]+)/gu;

/** Hashtags of a caption or title, lower-cased, de-duplicated, without `#`. */
export function hashtagsIn(text: string | null | undefined): string[] {
  if (!text) return [];
  return unique([...text.matchAll(HASHTAG)].map((m) => m[1]!.toLowerCase()));
}

/** `http://` image URLs (some YouTube avatars) as `https://`, so pages served over TLS can show them. */
export function toHttps(url: string | null | undefined): string | null {
  if (!url) return null;
  return url.startsWith("http://") ? `https://${url.slice("http://".length)}` : url;
}
