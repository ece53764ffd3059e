/*
 * Reserving a postgres.js connection without getting stranded.
 *
 * postgres.js 3 loses a `reserve()` that is waiting for a connection when a connection of its
 * pool closes (porsager/postgres#1195): the pool hands the waiting reservation to the closed
 * connection's reconnect, and the reconnect drops it once it succeeds, so the promise never
 * settles. It happens on a server restart while commits wait for a connection, and in plain
 * operation too, when a connection reaches its `max_lifetime` or `idle_timeout` at the wrong
 * moment. A page commit stuck there would keep its step's lease alive (its heartbeat runs) and
 * stall the job for good.
 *
 * So a reservation still waiting when a connection of its pool closes asks the pool once more
 * after a short while. The first connection granted is used; one granted later is released.
 */

/** A reserved postgres.js connection. */
export interface ReservedConnection {
  release(): void;
}

/** What reserving needs of a postgres.js pool (3 or 4): `reserve()`, and its options for the close hook. */
export interface ReservablePool<C extends ReservedConnection> {
  reserve(): Promise<C>;
  options?: { onclose?: ((connectionId: number) => void) | undefined };
}

/** How long a reservation waits, after a connection of its pool closed, before asking again. */
export const ASK_AGAIN_AFTER_CLOSE_MS = 1_000;

/** Reservations waiting, per pool: told when a connection of the pool closes. */
const waiting = new WeakMap<object, Set<() => void>>();

/** The waiting reservations of `pool`, after hooking its close event once; `null` if it has no options to hook. */
function waitersOf(pool: ReservablePool<ReservedConnection>): Set<() => void> | null {
  const known = waiting.get(pool);
  if (known) return known;
  const { options } = pool;
  if (!options) return null;
  const waiters = new Set<() => void>();
  const previous = options.onclose;
  // The pool reads `options.onclose` at each close, so a user's own hook keeps running first.
  options.onclose = (connectionId) => {
    previous?.(connectionId);
    for (const closed of [...waiters]) closed();
  };
  waiting.set(pool, waiters);
  return waiters;
}

/**
 * `pool.reserve()`, asked again {@link ASK_AGAIN_AFTER_CLOSE_MS} after each close of a pool
 * connection while it waits (see the top of this file). Rejects with the first error of a try.
 */
export function reserveConnection<C extends ReservedConnection>(pool: ReservablePool<C>, askAgainAfterMs = ASK_AGAIN_AFTER_CLOSE_MS): Promise<C> {
  const waiters = waitersOf(pool);
  if (!waiters) return pool.reserve();
  return new Promise<C>((resolve, reject) => {
    let settled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const settle = () => {
      settled = true;
      clearTimeout(timer);
      waiters.delete(onClose);
    };
    const ask = () => {
      pool.reserve().then(
        (connection) => {
          if (settled) return connection.release(); // a later grant: not needed any more
          settle();
          resolve(connection);
        },
        (error: unknown) => {
          if (settled) return;
          settle();
          reject(error);
        },
      );
    };
    function onClose() {
      if (settled || timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        if (!settled) ask();
      }, askAgainAfterMs);
    }
    waiters.add(onClose);
    ask();
  });
}
