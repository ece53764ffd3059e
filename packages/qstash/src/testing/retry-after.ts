/**
 * Reads QStash's retry hints from a response: `Retry-After` (seconds or an HTTP date) or
 * `X-RateLimit-Reset` style headers (seconds, or a duration such as `6m5s`). Milliseconds, or null.
 */
export function retryAfterMs(headers: Headers, now = Date.now()): number | null {
  for (const name of ["retry-after", "x-ratelimit-reset", "x-ratelimit-reset-requests", "x-ratelimit-reset-tokens"]) {
    const value = headers.get(name)?.trim();
    if (!value) continue;
    if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
    const duration = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s)?$/.exec(value);
    if (duration && value !== "") {
      const [, h = "0", m = "0", s = "0"] = duration;
      return Math.round((Number(h) * 3600 + Number(m) * 60 + Number(s)) * 1000);
    }
    const date = Date.parse(value);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  return null;
}

/** Parses `Upstash-Delay` (`"10s"`, `"3m"`, `"2h"`, `"1d"`) into milliseconds. */
export function parseDelay(value: string | null): number | null {
  if (!value) return null;
  const match = /^(\d+)([smhd])$/.exec(value.trim());
  if (!match) return null;
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as "s" | "m" | "h" | "d"];
  return Number(match[1]) * unit;
}

/** Parses `Upstash-Flow-Control-Value` (`"parallelism=10, rate=5, period=1s"`). */
export function parseFlowControl(value: string | null): { parallelism?: number; rate?: number; periodMs: number } | null {
  if (!value) return null;
  const parts = Object.fromEntries(
    value.split(",").map((p) => p.trim().split("=").map((s) => s.trim()) as [string, string]),
  );
  const parallelism = parts.parallelism ? Number(parts.parallelism) : undefined;
  const rate = parts.rate ? Number(parts.rate) : undefined;
  const period = parts.period ? (/^\d+$/.test(parts.period) ? Number(parts.period) * 1000 : parseDelay(parts.period)) : 1000;
  if ((parallelism === undefined && rate === undefined) || period === null) return null;
  return { ...(parallelism ? { parallelism } : {}), ...(rate ? { rate } : {}), periodMs: period };
}
