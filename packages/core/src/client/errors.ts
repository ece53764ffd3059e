/** One field a request got wrong, and why (as the API reports it). */
export interface ApiFieldIssue {
  field: string;
  reason: string;
}

/**
 * An answer other than 2xx, with the API's `{ error, issues }` body: `status` (400 bad input,
 * 401 signed out, 404 not found or not yours, 429 too many jobs...), `issues` naming the fields
 * at fault, and `retryAfterMs` when the server said when to come back.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly issues: ApiFieldIssue[];
  readonly retryAfterMs: number | null;

  constructor(status: number, message: string, options: { issues?: ApiFieldIssue[]; retryAfterMs?: number | null } = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.issues = options.issues ?? [];
    this.retryAfterMs = options.retryAfterMs ?? null;
  }
}

/** The `ApiError` of a non-2xx `response` (its body read as the API's error shape when it is one). */
export async function apiErrorOf(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => "");
  let body: { error?: unknown; issues?: unknown } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // not the API's JSON (a proxy's HTML page, say): the status line says it
  }
  const message = typeof body.error === "string" ? body.error : `${response.status} ${response.statusText || "error"}`.trim();
  const issues = Array.isArray(body.issues) ? (body.issues as ApiFieldIssue[]) : [];
  const retryAfter = Number(response.headers.get("retry-after"));
  return new ApiError(response.status, message, { issues, retryAfterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : null });
}
