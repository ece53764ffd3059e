import postgres from "postgres";
import { afterAll, expect, it } from "vitest";
import { reserveConnection } from "../src/pg/reserve.js";
import { PG_URL, describeWithPostgres } from "./support/postgres.js";

/*
 * porsager/postgres#1195 on a real server: a reservation waiting for the pool's only connection
 * when that connection's backend is terminated. Only this file's own backends are terminated.
 */
const describePg = await describeWithPostgres("pg-reserve");

/** Settles with the promise, or with "pending" after `ms`. */
const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, new Promise<"pending">((resolve) => setTimeout(() => resolve("pending"), ms).unref())]);

describePg("reserveConnection: a reservation waiting while a pool connection closes", () => {
  const killer = postgres(PG_URL, { max: 1, onnotice: () => {} });
  const pools: postgres.Sql[] = [];
  afterAll(async () => {
    // A pool with a stranded reservation never ends on its own.
    await Promise.all(pools.map((p) => p.end({ timeout: 0.1 }).catch(() => undefined)));
    await killer.end({ timeout: 1 });
  });

  /** A pool of one connection, reserved by a holder whose backend is then terminated while `reserve` waits. */
  async function waitThroughAClose<T>(reserve: (pool: postgres.Sql) => Promise<T>): Promise<T | "pending"> {
    const pool = postgres(PG_URL, { max: 1, onnotice: () => {} });
    pools.push(pool);
    const holder = await pool.reserve();
    const [row] = await holder`select pg_backend_pid() as pid`;
    const waiting = reserve(pool);
    await killer`select pg_terminate_backend(${row!.pid as number})`;
    // The holder is never released: releasing a connection whose backend died is unsafe in postgres.js 3.
    return within(waiting, 5_000);
  }

  it("postgres.js's own reserve() stays pending: the case this works around", async () => {
    expect(await waitThroughAClose((pool) => pool.reserve())).toBe("pending");
  });

  it("is granted a working connection soon after the close", async () => {
    const started = Date.now();
    const connection = await waitThroughAClose((pool) => reserveConnection(pool, 100));
    expect(connection).not.toBe("pending");
    if (connection === "pending") return;
    expect(Date.now() - started).toBeLessThan(4_000);
    const [row] = await connection`select 1 as one`;
    expect(row).toEqual({ one: 1 });
    connection.release();
  });

  it("is granted at once when nothing closes, and keeps the pool's own close hook", async () => {
    const closed: number[] = [];
    const pool = postgres(PG_URL, { max: 2, onnotice: () => {}, onclose: (id) => closed.push(id) });
    pools.push(pool);
    const held = await reserveConnection(pool);
    const [row] = await held`select pg_backend_pid() as pid`;
    await killer`select pg_terminate_backend(${row!.pid as number})`;
    await expect.poll(() => closed.length).toBe(1);
  });
});
