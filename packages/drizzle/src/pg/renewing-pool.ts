import type { StorageAdapter } from "@creatorsearch/core";
import { connectionDropped } from "./fast-path.js";

/** One pool and the adapter over it. */
export interface PoolGeneration<Db = unknown> {
  adapter: StorageAdapter;
  db: Db;
  /** Ends the pool, letting its queries in flight finish (or fail) first. */
  end(): Promise<void>;
}

/**
 * An adapter over a postgres.js pool that `postgresStorage({ url })` replaces with a fresh one
 * when the server drops its connections (a restart, a failover, a terminated backend).
 *
 * Why not let the pool reconnect: postgres.js 3 keeps the bytes written to a connection that
 * closes before it flushes them (porsager/postgres#1154, #1208). Such a connection sends them,
 * not its startup message, when it connects again, and hangs until its connect timeout, again
 * and again. A server restart under load leaves a few of those in the pool. A new pool has
 * none, and costs a reconnect the dropped connections needed anyway. The old pool is ended in
 * the background; calls already running on it finish or fail (retryably) there.
 */
export function renewingPool<Db>(open: () => PoolGeneration<Db>, { graceMs = 5_000 } = {}): { adapter: StorageAdapter; db(): Db; close(): Promise<void> } {
  /** A pool, and what gives up on its calls once it is retired (see `abandon`). */
  type Live = PoolGeneration<Db> & { abandoned: Promise<never>; abandon(): void };
  const start = (): Live => {
    let abandon!: () => void;
    const abandoned = new Promise<never>((_, reject) => {
      abandon = () => {
        const timer = setTimeout(() => reject(Object.assign(new Error("the call outlived its dropped connection pool"), { code: "CONNECTION_CLOSED" })), graceMs);
        timer.unref?.();
      };
    });
    abandoned.catch(() => undefined); // raced by the calls of the pool, if any
    return { ...open(), abandoned, abandon };
  };
  let current = start();
  const ending = new Set<Promise<void>>();
  let closed = false;

  const retire = (generation: Live) => {
    // A call still queued in the old pool may never be answered (postgres.js does not always
    // reject the queries waiting for a connection when it ends): after a grace period its caller
    // gets a transient error, and retries on the new pool.
    if (!closed) generation.abandon();
    const done = generation
      .end()
      .catch(() => undefined) // a pool whose server is gone may fail to end cleanly: nothing to do
      .finally(() => ending.delete(done));
    ending.add(done);
  };
  const renewAfter = (generation: Live, error: unknown) => {
    // Only the pool in use is replaced, once: its other calls fail with the same drop.
    if (closed || generation !== current || !connectionDropped(rootOf(error))) return;
    current = start();
    retire(generation);
  };

  const adapter: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(current.adapter)) {
    if (typeof value !== "function" || name === "close") {
      adapter[name] = value;
      continue;
    }
    adapter[name] = async (...args: unknown[]) => {
      const generation = current;
      try {
        const call = (generation.adapter as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[name]!(...args);
        return await Promise.race([call, generation.abandoned]);
      } catch (error) {
        renewAfter(generation, error);
        throw error;
      }
    };
  }
  const close = async () => {
    closed = true;
    retire(current);
    await Promise.all(ending);
  };
  adapter.close = close;
  return { adapter: adapter as unknown as StorageAdapter, db: () => current.db, close };
}

/** The driver's error under drizzle's wrapper (its `cause`). */
function rootOf(error: unknown): unknown {
  let root = error;
  for (let depth = 0; depth < 10 && root instanceof Error && root.cause instanceof Error; depth++) root = root.cause;
  return root;
}
