import { ValidationError } from "../../errors.js";

// Instagram usernames: letters, digits, `.` and `_`, at most 30, no leading/trailing or double dot.
const USERNAME = /^(?!\.)(?!.*\.\.)[A-Za-z0-9._]{1,30}(?<!\.)$/;
const INSTAGRAM_HOST = /^(?:www\.|m\.)?instagram\.com$/i;
// First path segments that name pages, not profiles.
const NOT_PROFILES = new Set(["p", "reel", "reels", "tv", "explore", "stories", "accounts", "direct", "about", "developer", "legal"]);

/**
 * The username in `natgeo`, `@natgeo` or a profile URL (`https://www.instagram.com/natgeo/`,
 * `instagram.com/natgeo?igsh=…`), lower-cased. Anything else throws a {@link ValidationError}
 * naming `field`.
 */
export function parseInstagramHandle(input: string, field = "targetHandle"): string {
  const refuse = (reason: string): never => {
    throw new ValidationError([{ field, reason }]);
  };
  const text = input.trim();
  if (!text) return refuse("must not be empty");
  let candidate = text.replace(/^@/, "");
  if (/[/:]/.test(text)) {
    let url: URL;
    try {
      url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
    } catch {
      return refuse(`"${text}" is neither an Instagram handle nor a profile URL`);
    }
    if (!INSTAGRAM_HOST.test(url.hostname)) return refuse(`"${text}" is not an instagram.com profile URL`);
    const [first, ...rest] = url.pathname.split("/").filter(Boolean);
    if (!first) return refuse(`"${text}" names no profile`);
    if (NOT_PROFILES.has(first.toLowerCase()) || (rest.length > 0 && !["reels", "tagged", "followers", "following"].includes(rest[0]!))) {
      return refuse(`"${text}" is a post or page URL, not a profile URL`);
    }
    candidate = first.replace(/^@/, "");
  }
  if (!USERNAME.test(candidate)) {
    return refuse(`"${text}" is not a valid Instagram handle (letters, digits, "." and "_", at most 30)`);
  }
  return candidate.toLowerCase();
}
