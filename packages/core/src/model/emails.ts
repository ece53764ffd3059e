/*
 * Email addresses from free text (bios, channel descriptions, business-email fields).
 * Creators write addresses for people, not parsers: "hello [at] studio [dot] com",
 * "biz📩 Jane@Studio.com.", "hello＠studio.com". We undo the bracketed obfuscations people
 * really use, then read the address around each "@" (linear in the text, whatever it holds)
 * and drop matches that only look like addresses (`logo@2x.png`, `@handle`, `a@b`).
 */

import { unique } from "./unique.js";

// Bracketed forms only: "(at)", "[at]", "{at}", "<at>" and the same for "dot". Bare words
// ("meet me at home dot...") would turn ordinary sentences into junk addresses.
const AT = /\s*[[({<]\s*at\s*[\])}>]\s*/gi;
const DOT = /\s*[[({<]\s*dot\s*[\])}>]\s*/gi;
// Full-width and small commercial at signs (U+FF20, U+FE6B) seen in copy-pasted bios.
const WIDE_AT = /[\uFF20\uFE6B]/g;

const LOCAL_CHAR = /[a-z0-9._%+-]/i;
const DOMAIN_CHAR = /[a-z0-9.-]/i;
// RFC 5321 limits: 64 characters before the "@", 253 after.
const MAX_LOCAL = 64;
const MAX_DOMAIN = 253;
// label(.label)*.tld; labels neither start nor end with "-"; the tld is letters only.
const DOMAIN = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}$/i;

// Asset names (retina images, files) share the address shape but are never mailboxes.
const FILE_TLDS = new Set(["png", "jpg", "jpeg", "gif", "webp", "heic", "svg", "mp4", "mov", "pdf", "js", "css"]);

/**
 * The address around the "@" at `at`, or `null`. Scanning outwards from each "@" within the
 * RFC length limits keeps the work linear in the text, whatever junk a bio holds.
 */
function addressAt(text: string, at: number): string | null {
  let start = at;
  while (start > 0 && LOCAL_CHAR.test(text[start - 1]!)) {
    start -= 1;
    if (at - start > MAX_LOCAL) return null;
  }
  let end = at + 1;
  while (end < text.length && DOMAIN_CHAR.test(text[end]!)) {
    end += 1;
    if (end - at - 1 > MAX_DOMAIN + 1) return null;
  }
  const local = text.slice(start, at).replace(/^[._%+-]+/, "");
  const domain = text.slice(at + 1, end).replace(/[.-]+$/, "");
  if (!local || local.endsWith(".") || local.includes("..") || !DOMAIN.test(domain)) return null;
  if (FILE_TLDS.has(domain.slice(domain.lastIndexOf(".") + 1).toLowerCase())) return null;
  return `${local}@${domain}`.toLowerCase();
}

/**
 * Email addresses in free text, lower-cased and de-duplicated, in order of appearance.
 * Undoes bracketed obfuscations (`jane [at] studio [dot] com`, `jane(at)studio.com`) and
 * full-width `＠`; ignores handles (`@jane`), asset names (`logo@2x.png`) and addresses
 * without a top-level domain.
 *
 * @example
 * extractEmails("Collabs: Jane [at] Studio [dot] com / jane@studio.com"); // ["jane@studio.com"]
 */
export function extractEmails(text: string | null | undefined): string[] {
  if (!text) return [];
  const plain = text.replace(WIDE_AT, "@").replace(AT, "@").replace(DOT, ".");
  const found: string[] = [];
  for (let at = plain.indexOf("@"); at !== -1; at = plain.indexOf("@", at + 1)) {
    const address = addressAt(plain, at);
    if (address) found.push(address);
  }
  return unique(found);
}

/**
 * The emails of a creator from every text that may hold one (bio, a platform's business-email
 * field, a channel description), lower-cased and de-duplicated across all of them. Platform
 * normalizers call it so every platform treats emails the same way.
 *
 * @example
 * emailsOf(user.biography, user.business_email);
 */
export function emailsOf(...texts: ReadonlyArray<string | null | undefined>): string[] {
  return unique(texts.flatMap((t) => extractEmails(t)));
}
