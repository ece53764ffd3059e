import { isStorageUnavailable } from "@creatorsearch/core";
import pRetry from "p-retry";
import type { CliIO } from "../io.js";

/** How long a waiting command rides out an unavailable database before it gives up. */
export const STORAGE_PATIENCE_MS = 120_000;

/**
 * Runs `call` (a read: safe to repeat), and again with backoff while the database is
 * unavailable (a restart, a failover), for up to `patienceMs`; says so once on stderr, in one
 * line, and once more when it answers again. Any other error, or the last one after
 * `patienceMs`, is thrown.
 */
export async function rideOutStorage<T>(io: CliIO, call: () => Promise<T>, patienceMs = STORAGE_PATIENCE_MS): Promise<T> {
  let waiting = false;
  const result = await pRetry(call, {
    retries: Number.POSITIVE_INFINITY,
    maxRetryTime: patienceMs,
    minTimeout: 250,
    maxTimeout: 3_000,
    factor: 2,
    shouldRetry: ({ error }) => isStorageUnavailable(error),
    onFailedAttempt: ({ error }) => {
      if (waiting || !isStorageUnavailable(error)) return;
      waiting = true;
      io.stderr.write(`warning: ${error.message}; retrying for up to ${Math.round(patienceMs / 1000)} s\n`);
    },
  });
  if (waiting) io.stderr.write("database is back; going on\n");
  return result;
}
