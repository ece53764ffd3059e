import { type StorageAdapter, memoryStorage } from "@creatorsearch/core";
import { describe, expect, it } from "vitest";
import { postgresFault } from "../src/pg/faults.js";
import { renewingPool } from "../src/pg/renewing-pool.js";

/** A pool generation over memory storage whose `getJob` does what `behave` says; records its end. */
function generations(behave: (n: number) => StorageAdapter["getJob"]) {
  const ended: number[] = [];
  let n = 0;
  const open = () => {
    const id = ++n;
    return { db: id, adapter: { ...memoryStorage(), getJob: behave(id) }, end: async () => void ended.push(id) };
  };
  return { open, ended, opened: () => n };
}
const dropped = () => Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" });

describe("renewingPool: a pool the server dropped is replaced", () => {
  it("opens a new pool after a dropped connection, ends the old one, and sends the next calls to the new one", async () => {
    const pools = generations((id) => async () => {
      if (id === 1) throw dropped();
      return null;
    });
    const pool = renewingPool(pools.open, { graceMs: 50 });
    await expect(pool.adapter.getJob("j1")).rejects.toMatchObject({ code: "57P01" });
    expect(pools.opened()).toBe(2);
    expect(pool.db()).toBe(2);
    await expect(pool.adapter.getJob("j1")).resolves.toBeNull();
    await pool.close();
    expect(pools.ended.sort()).toEqual([1, 2]);
  });

  it("keeps the pool on errors that do not drop a connection", async () => {
    const pools = generations(() => async () => {
      throw Object.assign(new Error("duplicate key"), { code: "23505" });
    });
    const pool = renewingPool(pools.open);
    await expect(pool.adapter.getJob("j1")).rejects.toMatchObject({ code: "23505" });
    expect(pools.opened()).toBe(1);
    await pool.close();
  });

  it("gives a call stuck in the old pool a transient error after the grace period, so it is retried on the new one", async () => {
    let first = true;
    const pools = generations((id) => () => {
      if (id > 1) return Promise.resolve(null);
      if (first) {
        first = false;
        return new Promise(() => {}); // queued for a connection that never comes
      }
      return Promise.reject(dropped());
    });
    const pool = renewingPool(pools.open, { graceMs: 50 });
    const stuck = pool.adapter.getJob("j1").catch((e: unknown) => e);
    await expect(pool.adapter.getJob("j2")).rejects.toMatchObject({ code: "57P01" });
    const error = await stuck;
    expect(postgresFault(error)).toEqual({ code: "CONNECTION_CLOSED", label: "connection closed" });
    await pool.close();
  });
});
