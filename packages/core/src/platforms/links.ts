import type { CreatorLink } from "../model/creator.js";

const HANDLE = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * A profile URL as a link: `instagram.com/<handle>`, `tiktok.com/@<handle>`,
 * `youtube.com/@<handle>` or `/channel/<id>`; any other http(s) URL is a `"web"` link.
 * `null` for text that is not an http(s) URL.
 */
export function linkOfUrl(text: string | null | undefined): CreatorLink | null {
  if (!text) return null;
  let url: URL;
  try {
    url = new URL(/^https?:\/\//i.test(text.trim()) ? text.trim() : `https://${text.trim()}`);
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  const host = url.hostname.toLowerCase().replace(/^(www\.|m\.)/, "");
  const [first = "", second = ""] = url.pathname.split("/").filter(Boolean);
  const href = url.toString();
  if (host === "instagram.com" && HANDLE.test(first) && !["p", "reel", "reels", "explore", "stories"].includes(first)) {
    return { platform: "instagram", handle: first, url: href };
  }
  if (host === "tiktok.com" && first.startsWith("@") && HANDLE.test(first.slice(1))) {
    return { platform: "tiktok", handle: first.slice(1), url: href };
  }
  if (host === "youtube.com") {
    if (first.startsWith("@") && HANDLE.test(first.slice(1))) return { platform: "youtube", handle: first.slice(1), url: href };
    if (first === "channel" && /^UC[\w-]{10,}$/.test(second)) return { platform: "youtube", id: second, url: href };
  }
  if (!text.includes(".")) return null;
  return { platform: "web", url: href };
}

/** The links of a list of URLs, dropping what is not one, de-duplicated by URL. */
export function linksOfUrls(urls: readonly (string | null | undefined)[]): CreatorLink[] {
  const seen = new Set<string>();
  const links: CreatorLink[] = [];
  for (const text of urls) {
    const link = linkOfUrl(text);
    if (!link || seen.has(link.url!)) continue;
    seen.add(link.url!);
    links.push(link);
  }
  return links;
}
