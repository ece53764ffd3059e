import { SignJWT } from "jose";

/** What {@link signDelivery} puts in the JWT; override any claim to forge a bad one in tests. */
export interface SignDeliveryInput {
  /** The signing key (the HMAC secret, as QStash uses it). */
  key: string;
  /** The URL the request is sent to (`sub`). */
  url: string;
  /** The raw body (`body` claim = base64url SHA-256 of it). */
  body: string;
  /** Seconds since the epoch; default now. */
  now?: number;
  /** JWT lifetime in seconds. Default 300, like QStash. */
  lifetimeSeconds?: number;
  /** `jti`; default a random id. */
  jti?: string;
  /** `iss`; default `"Upstash"`. */
  issuer?: string;
}

/** base64url SHA-256 of `body`, the `body` claim of a QStash signature. */
export async function bodyHash(body: string): Promise<string> {
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest("SHA-256", new TextEncoder().encode(body)));
  return Buffer.from(digest).toString("base64url");
}

/**
 * Signs a delivery the way QStash does: an HS256 JWT with `iss: "Upstash"`, `sub` = the URL,
 * `body` = base64url SHA-256 of the raw body, `iat`, `nbf`, `exp` and a unique `jti`.
 */
export async function signDelivery(input: SignDeliveryInput): Promise<string> {
  const now = input.now ?? Math.floor(Date.now() / 1000);
  return new SignJWT({ body: await bodyHash(input.body) })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(input.issuer ?? "Upstash")
    .setSubject(input.url)
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + (input.lifetimeSeconds ?? 300))
    .setJti(input.jti ?? `jwt_${globalThis.crypto.randomUUID()}`)
    .sign(new TextEncoder().encode(input.key));
}
