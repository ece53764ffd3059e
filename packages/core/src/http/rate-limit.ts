import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { HttpError } from "./errors.js";

/**
 * Anything with rate-limiter-flexible's `consume(key)`: `RateLimiterMemory`, `RateLimiterRedis`,
 * `RateLimiterPostgres`... A limiter shared through Redis or Postgres holds across processes.
 */
export interface JobRateLimiter {
  consume(key: string, points?: number): Promise<unknown>;
}

/** How many jobs a user may start: `points` per `durationSeconds`, or your own limiter. */
export type RateLimitOption = { points: number; durationSeconds: number } | { limiter: JobRateLimiter } | false;

/** Default: 30 job starts per user per minute. */
export const DEFAULT_JOB_RATE_LIMIT = { points: 30, durationSeconds: 60 } as const;

/** Builds the per-user job-creation check; it throws a 429 {@link HttpError} with `Retry-After`. */
export function jobRateLimit(option: RateLimitOption | undefined): (userId: string) => Promise<void> {
  if (option === false) return async () => {};
  const config = option ?? DEFAULT_JOB_RATE_LIMIT;
  const limiter: JobRateLimiter =
    "limiter" in config ? config.limiter : new RateLimiterMemory({ points: config.points, duration: config.durationSeconds });
  return async (userId) => {
    try {
      await limiter.consume(`jobs:${userId}`);
    } catch (error) {
      // The library rejects with a RateLimiterRes when the user is over the limit, and with an
      // Error when its store failed (which is ours to report, not the client's).
      if (!(error instanceof RateLimiterRes)) throw error;
      const seconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
      throw new HttpError(429, `Too many jobs started; try again in ${seconds} s`, {
        issues: [{ field: "", reason: `job creation is limited per user; retry after ${seconds} s` }],
        headers: { "retry-after": String(seconds) },
      });
    }
  };
}
