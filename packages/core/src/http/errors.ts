import { CreatorSearchError, ERROR_STATUS, type FieldIssue, ValidationError } from "../errors.js";

/** The JSON body of every error answer: a message, and the fields at fault (possibly none). */
export interface ErrorBody {
  error: string;
  issues: FieldIssue[];
}

/** An HTTP answer other than 2xx that a route decided on (404, 405, 413, 415, 429...). */
export class HttpError extends Error {
  readonly status: number;
  readonly issues: FieldIssue[];
  readonly headers: Record<string, string>;
  constructor(status: number, message: string, options: { issues?: FieldIssue[]; headers?: Record<string, string> } = {}) {
    super(message);
    this.name = "HttpError";
    this.status = status;
    this.issues = options.issues ?? [];
    this.headers = options.headers ?? {};
  }
}

/** A 400 naming one field and why it was refused. */
export const badRequest = (field: string, reason: string) =>
  new HttpError(400, field ? `Invalid input: ${field}: ${reason}` : `Invalid input: ${reason}`, { issues: [{ field, reason }] });

/** A 404 that looks the same whether the object is missing or belongs to someone else. */
export const notFound = (what: string) => new HttpError(404, `${what} not found`);

const utf8 = new TextEncoder();

/** JSON response with `no-store`: every answer here is per user. */
export function json(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  // Bytes, not the string: a string body is scanned for lone surrogates before it is encoded
  // (a third of the cost of a large answer), and JSON.stringify never produces one.
  return new Response(utf8.encode(JSON.stringify(body)), {
    status: init.status ?? 200,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...init.headers },
  });
}

/** Storage errors name hosts, users and driver messages: for `onError`, not for clients. */
function publicMessageOf(error: CreatorSearchError): string {
  if (error.code === "STORAGE_UNAVAILABLE") return "the storage is unavailable for now, try again";
  if (error.code === "STORAGE") return "the storage failed";
  return error.message;
}

/**
 * Maps any error to its answer. SDK errors keep their status ({@link ERROR_STATUS}); anything
 * else is our fault, so it is a 500 whose details go to `onError`, never to the client.
 */
export function errorResponse(error: unknown, onError?: (error: unknown) => void): Response {
  if (error instanceof HttpError) {
    return json({ error: error.message, issues: error.issues } satisfies ErrorBody, { status: error.status, headers: error.headers });
  }
  if (error instanceof ValidationError) {
    return json({ error: error.message, issues: error.issues } satisfies ErrorBody, { status: 400 });
  }
  if (error instanceof CreatorSearchError) {
    const status = ERROR_STATUS[error.code] ?? 500;
    if (status >= 500) onError?.(error);
    // A database restart or failover is over in seconds: say when to come back.
    const headers: Record<string, string> = error.code === "STORAGE_UNAVAILABLE" ? { "retry-after": "2" } : {};
    return json({ error: status >= 500 ? `${error.code}: ${publicMessageOf(error)}` : error.message, issues: [] } satisfies ErrorBody, { status, headers });
  }
  onError?.(error);
  return json({ error: "Internal server error", issues: [] } satisfies ErrorBody, { status: 500 });
}
