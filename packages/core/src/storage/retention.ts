import { ConfigurationError } from "../errors.js";
import type { RawPageRetention } from "./types.js";

const DAY_MS = 24 * 60 * 60 * 1000;

/** The default retention: a raw page lives until its step has committed. */
export const DEFAULT_RAW_PAGE_RETENTION: RawPageRetention = "until-committed";

/**
 * Checks a storage's `rawPages` option (absent: {@link DEFAULT_RAW_PAGE_RETENTION}); throws a
 * `ConfigurationError` naming what is wrong. Storage adapters call it when they are created.
 */
export function resolveRawPageRetention(value: unknown): RawPageRetention {
  if (value === undefined) return DEFAULT_RAW_PAGE_RETENTION;
  if (value === "until-committed" || value === "until-job-done") return value;
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const { keepDays, ...rest } = value as { keepDays?: unknown };
    const extra = Object.keys(rest);
    if (extra.length) throw new ConfigurationError(`Invalid rawPages: unknown option ${JSON.stringify(extra[0])} (expected { keepDays })`);
    if (typeof keepDays === "number" && Number.isFinite(keepDays) && keepDays >= 0) return { keepDays };
    throw new ConfigurationError(`Invalid rawPages.keepDays ${JSON.stringify(keepDays)}: a number of days >= 0 expected`);
  }
  throw new ConfigurationError(`Invalid rawPages ${JSON.stringify(value)}: expected "until-committed", "until-job-done" or { keepDays }`);
}

/** Whether a step's raw page is dropped in the commit of that step. */
export const dropsPageOnCommit = (retention: RawPageRetention): boolean => retention === "until-committed";

/** Whether a job's raw pages are dropped when it ends. */
export const dropsPagesOnFinish = (retention: RawPageRetention): boolean => typeof retention === "string";

/**
 * Which pages `prunePages` drops, beyond the rule that a page whose step may still run is never
 * dropped: `terminalOnly` keeps the committed pages of running jobs (`"until-job-done"`);
 * `fetchedBefore` keeps pages fetched since (`{ keepDays }`).
 */
export function prunePolicy(retention: RawPageRetention, now: Date): { terminalOnly: boolean; fetchedBefore: Date | null } {
  if (retention === "until-committed") return { terminalOnly: false, fetchedBefore: null };
  if (retention === "until-job-done") return { terminalOnly: true, fetchedBefore: null };
  return { terminalOnly: false, fetchedBefore: new Date(now.getTime() - retention.keepDays * DAY_MS) };
}
