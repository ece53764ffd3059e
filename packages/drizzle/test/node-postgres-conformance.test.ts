import { type StorageOpenOptions, describeStorageConformance } from "@creatorsearch/test-utils/storage";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { afterAll, expect, it } from "vitest";
import { postgresStorage } from "../src/pg/index.js";
import { PG_URL, describeWithPostgres, freshPostgresSchema } from "./support/postgres.js";

/*
 * The same contract on node-postgres (`drizzle-orm/node-postgres` passed as `db`): its commits
 * take drizzle's transaction path instead of postgres.js's pipelined one, so both are proven on
 * a real server. The pools are the caller's, so this file ends them.
 */
const describePg = await describeWithPostgres("node-postgres-conformance");

describePg("postgresStorage on node-postgres", () => {
  const pg_ = freshPostgresSchema();
  const pools: pg.Pool[] = [];
  const pool = (max: number) => {
    // A storage over a pool of ours leaves the pool to us: its idle connections end soon, so the
    // pools of a file's many tests do not add up to the shared server's connection limit.
    const p = new pg.Pool({ connectionString: PG_URL, max, idleTimeoutMillis: 250 });
    pools.push(p);
    return p;
  };
  const storageOn = (max: number, options: StorageOpenOptions = {}) => postgresStorage({ db: drizzle(pool(max)), schema: pg_.schema, ...options });
  afterAll(async () => {
    await Promise.all(pools.splice(0).map((p) => p.end()));
  });

  it("runs its migrations through the node-postgres driver", async () => {
    const storage = storageOn(1);
    await storage.ready();
    expect(await storage.pendingMigrations()).toEqual([]);
    await storage.close();
  });

  describeStorageConformance("postgresStorage (node-postgres)", {
    async open(options) {
      const opened = await pg_.open(); // migrated, empty tables, a raw side channel
      await opened.storage.close();
      return { storage: storageOn(4, options), connect: () => storageOn(1, options), raw: opened.raw };
    },
  });
});
