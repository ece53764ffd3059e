import { ConfigurationError, CreatorSearchError, StorageError, type StorageAdapter, StorageUnavailableError } from "@creatorsearch/core";

/** A transient fault as a classifier names it: a short label and the driver's code. */
export interface Fault {
  /** What happened, in a few words, e.g. `"admin shutdown"`. */
  label: string;
  /** The driver's code, e.g. `"57P01"`, `"ECONNREFUSED"`, `"SQLITE_BUSY"`. */
  code: string;
}

/** Tells a transient fault (worth asking again) from any other error; one per adapter. */
export type FaultClassifier = (error: unknown) => Fault | null;

/**
 * The errors under `error`, outermost first: drizzle wraps the driver's error in a
 * `DrizzleQueryError` (whose message carries the query's parameters), some drivers raise an
 * `AggregateError` of one error per host.
 */
export function* errorChain(error: unknown): Generator<unknown> {
  const seen = new Set<unknown>();
  const pending = [error];
  while (pending.length && seen.size < 20) {
    const current = pending.shift();
    if (current == null || seen.has(current)) continue;
    seen.add(current);
    yield current;
    if (typeof current !== "object") continue;
    const { cause, errors } = current as { cause?: unknown; errors?: unknown };
    if (cause !== undefined) pending.push(cause);
    if (Array.isArray(errors)) pending.push(...errors);
  }
}

/** The driver's own error under drizzle's wrappers: the one to keep as `cause` and quote. */
export function driverErrorOf(error: unknown): unknown {
  let root = error;
  for (let depth = 0; depth < 10 && root instanceof Error && root.cause instanceof Error; depth++) root = root.cause;
  return root;
}

/** The driver's message, cut short: enough to say what failed, never the query's parameters. */
function messageOf(error: unknown): string {
  const root = driverErrorOf(error) as { message?: unknown; code?: unknown };
  const text = typeof root?.message === "string" && root.message ? root.message : typeof root?.code === "string" ? root.code : String(root);
  const line = text.split("\n")[0]!;
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

/**
 * Wraps every method of `adapter` (but `close`) so that what the driver throws comes out typed:
 * a transient fault (per `classify`) as a retryable {@link StorageUnavailableError}, any other
 * driver error as a {@link StorageError}; both keep the driver's error as `cause` and leave the
 * failed query's parameters (a raw page, emails) out of the message. Errors the SDK raised on
 * purpose pass through, but a `ConfigurationError` from opening the connection that `classify`
 * calls transient becomes a `StorageUnavailableError` too: the server may be restarting.
 */
export function classifyFaults<A extends StorageAdapter>(adapter: A, name: string, classify: FaultClassifier): A {
  const translate = (error: unknown): unknown => {
    const opening = error instanceof ConfigurationError;
    if (error instanceof CreatorSearchError && !opening) return error;
    const fault = classify(opening ? error.cause : error);
    if (fault) {
      const message = opening ? error.message : `${name} unavailable: ${fault.label} (${fault.code})`;
      return new StorageUnavailableError(adapter.id, message, { cause: driverErrorOf(opening ? error.cause : error), reason: fault.code });
    }
    if (opening) return error;
    return new StorageError(adapter.id, `${name} query failed: ${messageOf(error)}`, { cause: driverErrorOf(error) });
  };
  const wrapped = { ...adapter } as Record<string, unknown>;
  for (const [key, method] of Object.entries(adapter)) {
    if (typeof method !== "function" || key === "close") continue;
    wrapped[key] = async (...args: unknown[]) => {
      try {
        return await (method as (...a: unknown[]) => unknown)(...args);
      } catch (error) {
        throw translate(error);
      }
    };
  }
  return wrapped as unknown as A;
}
