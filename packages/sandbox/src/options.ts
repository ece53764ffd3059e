import { DEFAULT_NOW } from "./data/clock.js";

/** Options of {@link createSandbox}; all optional. */
export interface SandboxOptions {
  /**
   * How long each answer takes in ms, the sandbox's own work included, like a remote API's
   * response time (the real keyword search takes ~3.5 s, profiles 2–4 s). Default 0.
   */
  latencyMs?: number;
  /**
   * Items a TikTok keyword search yields in total, across all its pages, before the last page
   * (`cursor: null`, `has_more: 0`). Also sizes each query's pool of creators (about one creator
   * per 1.5 items) and the YouTube search results. Pages are generated on demand, so values
   * like 20 000 cost nothing up front. Default 300.
   */
  resultsPerQuery?: number;
  /**
   * Items on a full TikTok keyword page. About one page in five comes back 1–3 items short, as
   * real pages do; which pages is fixed by the seed. Default 30.
   */
  pageSize?: number;
  /**
   * Size of a full TikTok keyword-search page in KB, as the real API answers them: items are
   * padded with the media fields that make real items big (bit-rate ladders, play and download
   * addresses, covers, music, each a list of long signed CDN URLs with random tokens that
   * compress poorly), to about `pageKb / pageSize` KB each. A real 30-item page is ~1.8 MB:
   * `pageKb: 1800`. Instagram reels (a third of that per item), profile posts (a sixth) and
   * YouTube results (a twentieth) are padded in proportion; `trim=true` items are not. Adapters
   * ignore these fields, so the creators found are the same as without padding. Items cannot
   * shrink below their unpadded size (~3 KB for TikTok), nor carry less than their fixed media
   * fields (~20 KB). Default 0: compact items, as small as the fields consumers read.
   */
  pageKb?: number;
  /** Seed of every generated value: the same seed gives byte-identical answers. Default `"creatorsearch"`. */
  seed?: string | number;
  /**
   * Starting credit balance, shared by all keys. Each successful call costs 1 (the legacy IG
   * reels search 1 per 10 reels; balance checks are free). At 0 every billed call answers 402.
   * Default 1 000 000.
   */
  credits?: number;
  /**
   * The sandbox's "now" (a `Date` or unix seconds): video dates, URL expiries and relative times
   * are computed from it. Fixed by default (2026-09-01T00:00:00Z) so answers never drift.
   */
  now?: Date | number;
  /**
   * Fraction (0–1) of otherwise valid calls answered 500, chosen by a seeded sequence so a run
   * is reproducible. Default 0.
   */
  failureRate?: number;
  /**
   * Per-key rate limit: at most `max` calls per `intervalMs`; calls beyond it answer 429 with a
   * `Retry-After` header (seconds). Default: none (ScrapeCreators documents none).
   */
  rateLimit?: { max: number; intervalMs: number };
  /**
   * Status of a call without `x-api-key`: 401 (documented) or 500 (observed once in the wild,
   * with the same `"apiKey is required"` body). Default 401.
   */
  missingKeyStatus?: 401 | 500;
}

/** Largest `pageKb`: 100 MB pages, far beyond any real answer. */
export const MAX_PAGE_KB = 100_000;

/** {@link SandboxOptions} with every default applied. */
export interface ResolvedSandboxOptions {
  latencyMs: number;
  resultsPerQuery: number;
  pageSize: number;
  /** 0 when items are compact. */
  pageKb: number;
  seed: string;
  credits: number;
  /** Unix seconds. */
  now: number;
  failureRate: number;
  rateLimit: { max: number; intervalMs: number } | null;
  missingKeyStatus: 401 | 500;
}

const positiveInt = (value: number | undefined, fallback: number, name: string): number => {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 1) throw new RangeError(`sandbox option ${name} must be a positive number, got ${value}`);
  return Math.floor(value);
};

/** Applies the defaults and checks the ranges. */
export function resolveOptions(options: SandboxOptions = {}): ResolvedSandboxOptions {
  const now = options.now instanceof Date ? Math.floor(options.now.getTime() / 1000) : (options.now ?? DEFAULT_NOW);
  const failureRate = options.failureRate ?? 0;
  if (!(failureRate >= 0 && failureRate <= 1)) throw new RangeError(`sandbox option failureRate must be within 0..1, got ${failureRate}`);
  const latencyMs = options.latencyMs ?? 0;
  const pageKb = options.pageKb ?? 0;
  if (!(pageKb >= 0 && pageKb <= MAX_PAGE_KB)) throw new RangeError(`sandbox option pageKb must be within 0..${MAX_PAGE_KB}, got ${pageKb}`);
  if (!(latencyMs >= 0)) throw new RangeError(`sandbox option latencyMs must be >= 0, got ${latencyMs}`);
  return {
    latencyMs,
    resultsPerQuery: positiveInt(options.resultsPerQuery, 300, "resultsPerQuery"),
    pageSize: positiveInt(options.pageSize, 30, "pageSize"),
    pageKb: Math.round(pageKb),
    seed: String(options.seed ?? "creatorsearch"),
    credits: options.credits === undefined ? 1_000_000 : Math.max(0, Math.floor(options.credits)),
    now,
    failureRate,
    rateLimit: options.rateLimit
      ? { max: positiveInt(options.rateLimit.max, 1, "rateLimit.max"), intervalMs: positiveInt(options.rateLimit.intervalMs, 1000, "rateLimit.intervalMs") }
      : null,
    missingKeyStatus: options.missingKeyStatus ?? 401,
  };
}
