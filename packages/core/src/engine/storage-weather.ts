/**
 * How a running step rides out a storage that is briefly away (DESIGN.md, "Faults are
 * weather"): idempotent storage calls are retried with backoff while the adapter says the storage
 * is unavailable, within `limits.storageRetryMs`; a fetched page waits in memory meanwhile,
 * within `limits.maxHeldPageBytes` for the whole process; and the step's lease is renewed while
 * it runs, so leases can be short.
 */
import pRetry from "p-retry";
import { isStorageUnavailable } from "../errors.js";
import type { EngineContext } from "./context.js";

/** Options of {@link retryStorage}. */
export interface RetryStorageOptions {
  /** Called before each new attempt, after a failed one. */
  onRetry?: (error: unknown) => void;
}

/**
 * Runs `call`, and again with backoff (100 ms doubling to 2 s) while it fails with a
 * `StorageUnavailableError`, until `ctx.limits.storageRetryMs` has passed; then its last error
 * is thrown. Only for calls that are safe to repeat. Any other error is thrown at once.
 */
export function retryStorage<T>(ctx: EngineContext, call: () => Promise<T>, options: RetryStorageOptions = {}): Promise<T> {
  return pRetry(call, {
    retries: Number.POSITIVE_INFINITY,
    maxRetryTime: ctx.limits.storageRetryMs,
    minTimeout: 100,
    maxTimeout: 2_000,
    factor: 2,
    randomize: true,
    shouldRetry: ({ error }) => isStorageUnavailable(error),
    onFailedAttempt: ({ error }) => {
      if (isStorageUnavailable(error)) options.onRetry?.(error);
    },
  });
}

/** Bytes of fetched pages waiting in memory for their storage, per engine. */
const heldBytes = new WeakMap<EngineContext, number>();

/**
 * Stores a fetched (paid) page, retrying while the storage is unavailable: the page waits in
 * memory instead of being thrown away and bought again by the next delivery. A page that would
 * take the engine's held pages over `limits.maxHeldPageBytes` is not held: its first failure is
 * thrown.
 */
export async function savePageHeld(ctx: EngineContext, save: () => Promise<void>, raw: unknown): Promise<void> {
  try {
    await save();
    return;
  } catch (error) {
    if (!isStorageUnavailable(error)) throw error;
    const bytes = sizeOf(raw);
    const held = heldBytes.get(ctx) ?? 0;
    if (held + bytes > ctx.limits.maxHeldPageBytes) throw error;
    heldBytes.set(ctx, held + bytes);
    try {
      await retryStorage(ctx, save);
    } finally {
      heldBytes.set(ctx, (heldBytes.get(ctx) ?? bytes) - bytes);
    }
  }
}

/** Rough size of a raw page in memory: its JSON text, as it is stored. */
function sizeOf(raw: unknown): number {
  try {
    return JSON.stringify(raw)?.length ?? 0;
  } catch {
    return 0;
  }
}

/**
 * Renews the lease of a running step every third of `limits.stepLeaseMs`, until the returned
 * function is called. A renewal that fails (storage away) is tried again at the next beat; one
 * that finds the lease gone stops the beats (the commit will be refused). Never keeps the
 * process alive, never rejects.
 */
export function startHeartbeat(ctx: EngineContext, step: { jobId: string; chain: string; step: number; owner: string }): () => void {
  const leaseMs = ctx.limits.stepLeaseMs;
  let stopped = false;
  let beating: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    beating = beating.then(async () => {
      if (stopped) return;
      try {
        const held = await ctx.storage.renewStep({ ...step, leaseMs, now: ctx.now() });
        if (!held) stop();
      } catch {
        // Unavailable for now: the lease still runs for two more beats.
      }
    });
  }, Math.max(100, Math.floor(leaseMs / 3)));
  timer.unref?.();
  const stop = () => {
    stopped = true;
    clearInterval(timer);
  };
  return stop;
}
