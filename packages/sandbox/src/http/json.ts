/** Headers on every answer: JSON, and CORS so a browser demo can call the sandbox directly. */
export const BASE_HEADERS: Record<string, string> = {
  "content-type": "application/json; charset=utf-8",
  "access-control-allow-origin": "*",
  "access-control-allow-headers": "x-api-key, content-type",
  "access-control-allow-methods": "GET, OPTIONS",
};

/** A JSON response. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...BASE_HEADERS, ...headers } });
}

/** An error body as ScrapeCreators sends them: `success: false`, a `message`, maybe an `error` code. */
export function errorJson(status: number, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): Response {
  return json({ success: false, ...extra, message }, status, headers);
}
