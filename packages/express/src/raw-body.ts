import type { IncomingMessage } from "node:http";

/** A request a body parser may have read, with the raw bytes kept by {@link captureRawBody}. */
export interface ParsedRequest extends IncomingMessage {
  body?: unknown;
  rawBody?: Buffer | string;
  /** Set by body-parser (`express.json()` and friends) when it consumed the stream. */
  _body?: boolean;
}

/**
 * `verify` hook for `express.json()`: keeps the exact bytes on `req.rawBody`, so the signed
 * QStash webhook still verifies when the JSON parser runs before creatorsearch.
 *
 * @example
 * ```ts
 * app.use(express.json({ verify: captureRawBody }));
 * app.use(toExpressHandler(cs));
 * ```
 */
export function captureRawBody(req: IncomingMessage, _res: unknown, buffer: Buffer): void {
  (req as ParsedRequest).rawBody = buffer;
}

/**
 * What a body parser left of the body: `undefined` when the stream is untouched (read it
 * ourselves), the raw bytes when they were kept, or `{ parsed }` when only a parsed value is left.
 */
export function consumedBody(req: ParsedRequest): undefined | { raw: Buffer | string } | { parsed: unknown } {
  const consumed = req._body === true || req.readableEnded;
  if (!consumed) return undefined;
  if (req.rawBody !== undefined) return { raw: req.rawBody };
  // express.raw() and express.text() leave the bytes themselves.
  if (Buffer.isBuffer(req.body) || typeof req.body === "string") return { raw: req.body };
  return { parsed: req.body };
}
