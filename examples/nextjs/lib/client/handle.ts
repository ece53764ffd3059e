/**
 * Handles as people type and paste them: `@@cozy`, `cozy/`, ` @Cozy `, or a profile URL
 * (`https://www.instagram.com/cozy.kitchen/?igsh=…`). The app sends and shows the bare handle,
 * so a search is stored and titled `@cozy.kitchen` whatever was typed.
 */
const PROFILE_HOSTS = /^(?:www\.|m\.)?(?:instagram\.com|tiktok\.com|youtube\.com)$/i;
// Instagram usernames: letters, digits, `.` and `_`, at most 30, no leading/trailing or double dot.
const INSTAGRAM_USERNAME = /^(?!\.)(?!.*\.\.)[a-z0-9._]{1,30}(?<!\.)$/;

/** The bare handle in what was typed (lower-cased; no `@`, slashes or URL), or `""`. */
export function bareHandle(input: string): string {
  let text = input.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text) || /^(?:www\.|m\.)?[a-z]+\.com\//i.test(text)) {
    try {
      const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
      if (PROFILE_HOSTS.test(url.hostname)) text = url.pathname.split("/").filter(Boolean)[0] ?? "";
    } catch {
      // not a URL after all: treated as typed
    }
  }
  return text.replace(/^@+/, "").replace(/\/+$/, "").trim().toLowerCase();
}

/** `@handle` for display, whatever the stored or typed form. */
export function displayHandle(input: string): string {
  const bare = bareHandle(input);
  return bare ? `@${bare}` : input;
}

/**
 * The Instagram handle in `input`, or a sentence for the person at the form saying what is
 * wrong with it (the form's own words, no field codes).
 */
export function checkInstagramHandle(input: string): { handle: string } | { problem: string } {
  if (!input.trim()) return { problem: "Enter an Instagram handle, like @cozy.kitchen, or paste a profile link." };
  const handle = bareHandle(input);
  if (/\s/.test(handle)) return { problem: `“${input.trim()}” has a space in it. Instagram handles have no spaces, like @cozy.kitchen.` };
  if (!INSTAGRAM_USERNAME.test(handle)) {
    return { problem: `“${input.trim()}” is not an Instagram handle. Handles use letters, digits, dots and underscores (at most 30), like @cozy.kitchen.` };
  }
  return { handle };
}
