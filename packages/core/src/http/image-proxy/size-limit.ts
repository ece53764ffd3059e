import { ImageProxyRefusal } from "./refusal.js";

/** The refusal for an image over the limit, whether announced or discovered while reading. */
export const tooLarge = (maxBytes: number) => new ImageProxyRefusal(413, `Upstream image is larger than ${maxBytes} bytes`);

/**
 * Passes `body` through unchanged but errors the stream (and cancels the upstream) as soon as more
 * than `maxBytes` have flowed. For bodies whose declared length was already checked: a lying
 * upstream gets a cut-off answer instead of a bigger one.
 */
export function limitStream(body: ReadableStream<Uint8Array>, maxBytes: number): ReadableStream<Uint8Array> {
  let seen = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > maxBytes) controller.error(tooLarge(maxBytes));
        else controller.enqueue(chunk);
      },
    }),
  );
}

/**
 * Reads a body of unknown length into memory, refusing (413) as soon as it passes `maxBytes`, so
 * the client gets a clean error instead of a truncated image. At most `maxBytes` are ever held.
 */
export async function readLimited(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => {});
        throw tooLarge(maxBytes);
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
