import { type QueueAdapter, type StepMessage, memoryQueue } from "@creatorsearch/core";

/** Header carrying the hex HMAC-SHA256 of the raw body, as {@link signedPushQueue} expects it. */
export const TEST_SIGNATURE_HEADER = "x-test-signature";

async function hmacHex(secret: string, body: Uint8Array | string): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const bytes = typeof body === "string" ? encoder.encode(body) : body;
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, bytes as BufferSource));
  return [...mac].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Signs a body the way {@link signedPushQueue} verifies it. */
export const signBody = (secret: string, body: string) => hmacHex(secret, body);

/**
 * A memory queue that also takes HTTP deliveries signed over the exact raw body bytes, like
 * QStash. A mount that re-serialises or loses the body fails the signature: that is what the
 * mount suite checks. Verified deliveries are recorded, not run.
 */
export function signedPushQueue(secret: string): QueueAdapter & { received: StepMessage[] } {
  const inner = memoryQueue({ concurrency: 4 });
  const received: StepMessage[] = [];
  return {
    id: "signed-memory",
    received,
    enqueue: (message, options) => inner.enqueue(message, options),
    start: (consumer) => inner.start(consumer),
    close: () => inner.close(),
    async receive(request) {
      const body = new Uint8Array(await request.arrayBuffer());
      const given = request.headers.get(TEST_SIGNATURE_HEADER) ?? "";
      if (given !== (await hmacHex(secret, body))) return Response.json({ error: "invalid signature" }, { status: 401 });
      received.push(JSON.parse(new TextDecoder().decode(body)) as StepMessage);
      return Response.json({ ok: true, bytes: body.byteLength });
    },
  };
}
