/**
 * The QStash dev server's credentials. They are the same on every machine and published in
 * `@upstash/qstash` and `@upstash/qstash-cli`, so anyone can sign a request with them: they are
 * refused when `NODE_ENV=production`.
 */
export const QSTASH_DEV_CREDENTIALS = {
  /** Default URL of `npx @upstash/qstash-cli dev`. */
  url: "http://127.0.0.1:8080",
  token: "eyJVc2VySUQiOiJkZWZhdWx0VXNlciIsIlBhc3N3b3JkIjoiZGVmYXVsdFBhc3N3b3JkIn0=",
  currentSigningKey: "sig_7kYjw48mhY7kAjqNGcy6cr29RJ6r",
  nextSigningKey: "sig_5ZB6DVzB1wjE8S6rZ7eenA8Pdnhs",
} as const;

/** True for the dev server's public token or signing keys. */
export function isDevelopmentCredential(value: string): boolean {
  const { token, currentSigningKey, nextSigningKey } = QSTASH_DEV_CREDENTIALS;
  return value === token || value === currentSigningKey || value === nextSigningKey;
}
