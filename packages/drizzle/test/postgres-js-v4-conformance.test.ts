import { createRequire } from "node:module";
import { campaignFixture, describeStorageConformance } from "@creatorsearch/test-utils/storage";
import { drizzle } from "drizzle-orm/postgres-js";
import { afterAll, expect, it, vi } from "vitest";
import { type PostgresStorage, postgresStorage } from "../src/pg/index.js";
import { describeConnectionErrors, describeFailedCommits } from "./support/driver-checks.js";
import { PG_URL, describeWithPostgres, freshPostgresSchema, uniqueName } from "./support/postgres.js";

/*
 * The storage contract on postgres.js 4 (devDependency `postgres-v4`, an alias of postgres@4),
 * the newest major the peer range allows; the other files run on postgres.js 3. The loader is
 * pointed at the alias, so `postgresStorage({ url })` opens its pool, builds its drizzle
 * database and pipelines its commits on postgres.js 4, as it does where postgres@4 is the
 * `postgres` installed. Then the checks that depend on the driver: failed commits (postgres.js 4
 * is stricter about transactions) and connection errors (its messages and options).
 */
vi.mock("../src/pg/load-postgres-js.js", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../src/pg/load-postgres-js.js")>();
  return { ...actual, loadPostgresJs: () => actual.loadPostgresJs("postgres-v4") };
});

const require = createRequire(import.meta.url);
const postgres4 = (require("postgres-v4") as { default: typeof import("postgres-v4").default }).default;
const describePg = await describeWithPostgres("postgres-js-v4-conformance");

describePg("postgresStorage on postgres.js 4", () => {
  const pg = freshPostgresSchema();

  it("opens its pool with postgres.js 4", async () => {
    const storage = pg.storage({ max: 1 });
    await storage.ready();
    const client = (storage.db as unknown as { $client: object }).$client;
    expect(client).toHaveProperty("stats"); // pool stats are new in postgres.js 4
    expect(await storage.pendingMigrations()).toEqual([]);
  });

  it("runs on a drizzle database the user built on postgres.js 4 (`db`), fast path included", async () => {
    const client = postgres4(PG_URL, { max: 2, onnotice: () => {} });
    try {
      const storage = postgresStorage({ db: drizzle(client as never), schema: pg.schema });
      await storage.ready();
      expect(await storage.pendingMigrations()).toEqual([]);
      await storage.createCampaign(campaignFixture("v4-own-db", "alice"));
      expect((await storage.getCampaign("alice", "v4-own-db"))?.userId).toBe("alice");
      await storage.close(); // leaves the user's client open
      expect((await client`select 1 as one`)[0]).toEqual({ one: 1 });
    } finally {
      await client.end({ timeout: 5 });
    }
  });

  describeStorageConformance("postgresStorage (url, postgres.js 4)", { open: (options) => pg.open(options) });

  const opened: PostgresStorage[] = [];
  const schemas: string[] = [];
  afterAll(async () => {
    await Promise.all(opened.map((s) => s.close()));
    for (const schema of schemas) await pg.admin.unsafe(`drop schema if exists "${schema}" cascade`);
  });
  describeFailedCommits((schema, extra = {}) => {
    schemas.push(schema);
    const storage = postgresStorage({ url: PG_URL, schema, ...extra });
    opened.push(storage);
    return storage;
  }, uniqueName);
  describeConnectionErrors();
});
