/**
 * The answers QStash understands (see its retry docs): 2xx acknowledges, 429 + `Retry-After`
 * retries at that time, 489 + `Upstash-NonRetryable-Error: true` fails the message at once,
 * anything else is retried with backoff.
 */
export const deliveryResponse = {
  done: (outcome: string) => Response.json({ ok: true, outcome }, { status: 200 }),
  unauthorized: (reason: string) => Response.json({ ok: false, error: `invalid QStash signature: ${reason}` }, { status: 401 }),
  retryAfter: (ms: number, reason: string) =>
    Response.json(
      { ok: false, error: reason },
      // QStash reads whole seconds; round up so the retry never comes early.
      { status: 429, headers: { "Retry-After": String(Math.max(1, Math.ceil(ms / 1000))) } },
    ),
  nonRetryable: (reason: string) =>
    Response.json({ ok: false, error: reason }, { status: 489, headers: { "Upstash-NonRetryable-Error": "true" } }),
  failed: (reason: string) => Response.json({ ok: false, error: reason }, { status: 500 }),
  closing: () => Response.json({ ok: false, error: "shutting down" }, { status: 503, headers: { "Retry-After": "5" } }),
  methodNotAllowed: () => Response.json({ ok: false, error: "QStash deliveries are POST requests" }, { status: 405, headers: { Allow: "POST" } }),
};
