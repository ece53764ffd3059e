import type { FieldIssue } from "../../errors.js";

/**
 * Why the proxy did not serve an image: a 4xx when the request or the upstream answer breaks the
 * policy, 502/504 when the upstream failed. Turned into a JSON answer, never thrown to callers.
 */
export class ImageProxyRefusal extends Error {
  readonly status: number;
  readonly issues: FieldIssue[];
  readonly headers: Record<string, string>;

  constructor(status: number, message: string, options: { field?: string; headers?: Record<string, string>; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ImageProxyRefusal";
    this.status = status;
    this.issues = options.field === undefined ? [] : [{ field: options.field, reason: message }];
    this.headers = options.headers ?? {};
  }
}

/** A refusal of the `url` query parameter (or of a redirect target, which is checked the same way). */
export const refuseUrl = (status: number, reason: string) => new ImageProxyRefusal(status, reason, { field: "url" });

/** The JSON error answer; errors are never cached, so a fixed upstream is retried at once. */
export function refusalResponse(refusal: ImageProxyRefusal): Response {
  const message = refusal.issues.length > 0 ? `Invalid input: url: ${refusal.message}` : refusal.message;
  return new Response(JSON.stringify({ error: message, issues: refusal.issues }), {
    status: refusal.status,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
      ...refusal.headers,
    },
  });
}
