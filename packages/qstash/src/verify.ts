import { Receiver } from "@upstash/qstash";
import { decodeJwt } from "jose";
import type { ResolvedQStashOptions } from "./options.js";

/** Outcome of {@link verifyDelivery}: the reason is safe to send back (it names no key). */
export type Verification = { ok: true } | { ok: false; reason: string };

/**
 * Checks a delivery's `Upstash-Signature` with `@upstash/qstash`'s `Receiver` (current key, then
 * next key; issuer, expiry, not-before, `sub` = the public URL, `body` = SHA-256 of the raw body),
 * then refuses a signature seen before.
 */
export function createVerifier(options: ResolvedQStashOptions) {
  // devMode: false, so QSTASH_DEV=true can never swap in the dev server's public keys.
  const receiver = new Receiver({
    currentSigningKey: options.currentSigningKey,
    nextSigningKey: options.nextSigningKey,
    devMode: false,
  });
  return async function verifyDelivery(signature: string | null, rawBody: string, url: string): Promise<Verification> {
    if (!signature) return { ok: false, reason: "missing Upstash-Signature header" };
    try {
      const valid = await receiver.verify({ signature, body: rawBody, url, clockTolerance: options.clockToleranceSeconds });
      if (!valid) return { ok: false, reason: "signature does not verify" };
    } catch (error) {
      return { ok: false, reason: error instanceof Error ? error.message : "signature does not verify" };
    }
    const { jti, exp } = decodeJwt(signature); // already verified above
    if (typeof jti !== "string" || !jti || typeof exp !== "number") return { ok: false, reason: "signature lacks jti or exp" };
    const expiresAt = new Date((exp + options.clockToleranceSeconds) * 1000);
    if (!(await options.replayStore.remember(jti, expiresAt))) return { ok: false, reason: "signature already used (replay)" };
    return { ok: true };
  };
}
