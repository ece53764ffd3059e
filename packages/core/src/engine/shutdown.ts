/**
 * Graceful shutdown: how `cs.close()` stays bounded. Steps in flight get `shutdownTimeoutMs` to
 * finish; past it the engine aborts them, each releases its lease and hands its message back to
 * the queue (so another worker takes it at once), and the queue is then closed by force.
 */
import { CreatorSearchError } from "../errors.js";

/** Default of `shutdownTimeoutMs`: how long `close()` waits for the steps in flight. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 30_000;

/**
 * How long `close()` waits, after aborting the steps in flight, for them to hand their messages
 * back before it forces the queue closed (their leases then expire on their own).
 */
export const HAND_BACK_TIMEOUT_MS = 5_000;

/**
 * A step stopped because its process is shutting down. Retryable: the queue delivers the step
 * again (BullMQ moves it back to waiting at once, without using an attempt) and its lease was
 * released, so another worker runs it straight away.
 */
export class ShutdownError extends CreatorSearchError {
  constructor(message = "the worker is shutting down: step handed back") {
    super("CLOSED", message, { retryable: true });
  }
}

/** `promise`, or a {@link ShutdownError} as soon as `signal` aborts, whichever comes first. */
export function unlessShutdown<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined); // settles later, unobserved
    return Promise.reject(new ShutdownError());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new ShutdownError());
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/** Resolves `true` when `promise` settles within `ms`, `false` otherwise; never rejects. */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true, () => true), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
