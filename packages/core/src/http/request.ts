import { z } from "zod";
import { toFieldIssues } from "../util/zod.js";
import { HttpError, badRequest } from "./errors.js";

/** Longest URL (path and query) accepted; longer ones get 414. */
export const MAX_URL_LENGTH = 8192;

/** Default body limit of JSON routes: 64 KiB is far above any valid request. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

const isJsonType = (type: string) => /^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type.trim());

/**
 * Reads the raw body, enforcing the size limit while streaming (a lying or missing
 * `content-length` cannot get past it); 413 above `maxBytes`.
 */
export async function readBodyBytes(request: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) throw tooLarge(maxBytes);
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  return concat(chunks, size);
}

/** Reads a JSON object body within `maxBytes` (see {@link readBodyBytes}). An empty body is `{}`. */
export async function readJsonObject(request: Request, maxBytes: number): Promise<Record<string, unknown>> {
  const type = request.headers.get("content-type");
  const bytes = await readBodyBytes(request, maxBytes);
  if (bytes.byteLength === 0) return {};
  if (!type || !isJsonType(type)) {
    throw new HttpError(415, "Send the body as JSON with Content-Type: application/json", {
      issues: [{ field: "content-type", reason: `must be application/json (got ${type ? JSON.stringify(type.slice(0, 100)) : "none"})` }],
    });
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw badRequest("body", "is not valid UTF-8");
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw badRequest("body", `is not valid JSON (${(error as Error).message.slice(0, 120)})`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw badRequest("body", "must be a JSON object");
  const nul = findNul(value, "");
  if (nul !== null) throw badRequest(nul, "must not contain NUL characters");
  return value as Record<string, unknown>;
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

function tooLarge(maxBytes: number) {
  return new HttpError(413, `Body larger than ${maxBytes} bytes`, { issues: [{ field: "body", reason: `must be at most ${maxBytes} bytes` }] });
}

/** Path of the first string containing U+0000 (databases such as Postgres refuse it in text). */
function findNul(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === "string") return value.includes("\u0000") ? path : null;
  if (typeof value !== "object" || value === null || depth > 20) return null;
  for (const [key, child] of Object.entries(value)) {
    const childPath = path ? `${path}.${key}` : key;
    if (key.includes("\u0000")) return childPath;
    const found = findNul(child, childPath, depth + 1);
    if (found !== null) return found;
  }
  return null;
}

/** Parses the query string with `schema`; failures are 400s naming the parameter. */
export function parseQuery<S extends z.ZodType>(url: URL, schema: S): z.output<S> {
  const result = schema.safeParse(Object.fromEntries(url.searchParams));
  if (!result.success) {
    const issues = toFieldIssues(result.error);
    throw new HttpError(400, `Invalid query: ${issues.map((i) => `${i.field}: ${i.reason}`).join("; ")}`, { issues });
  }
  return result.data;
}

/** An id taken from a path or query: anything outside this shape cannot exist, so it is a 404. */
export const ID_PATTERN = /^[\w-]{1,128}$/;

/** Query parameter holding an id. */
export const idParam = (name: string) =>
  z.string({ error: "is required" }).min(1, { error: "is required", abort: true }).max(128, "must be at most 128 characters").regex(ID_PATTERN, `is not a valid ${name}`);

/** The `:id` path parameter of a route, as documented: anything else cannot exist (404). */
export const idPathParams = (what: string) =>
  z.object({ id: z.string().regex(ID_PATTERN).describe(`The ${what} id (anything else answers 404)`) });

/** Query parameter holding a whole number in a range. */
export const intParam = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, "must be a whole number")
    .transform(Number)
    .refine((n) => n >= min && n <= max, `must be from ${min} to ${max}`);
