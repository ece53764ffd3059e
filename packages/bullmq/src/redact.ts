/**
 * `text` with the password of every URL in it (`redis://`, `rediss://`, or a mistyped scheme)
 * replaced by `***`, so errors and logs can name the server without leaking its credentials.
 */
export function redactRedisUrl(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)([^@/\s"]*)@/gi, (_, scheme: string, auth: string) => {
    const colon = auth.indexOf(":");
    // `user:password@` keeps the user; a lone `password@` (Redis before ACLs) is all secret.
    return colon === -1 ? `${scheme}***@` : `${scheme}${auth.slice(0, colon)}:***@`;
  });
}
