import { PGlite } from "@electric-sql/pglite";
import { type StorageTable, describeStorageConformance, sqlRawStorage } from "@creatorsearch/test-utils/storage";
import { drizzle } from "drizzle-orm/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PostgresStorage, postgresStorage } from "../src/pg/index.js";

/*
 * Postgres in WebAssembly (PGlite) through drizzle's pglite driver and `postgresStorage({ db })`:
 * the Postgres code path, migrations included, runs even where no server exists. One database
 * per file, emptied before each test. PGlite has one connection, so races run on one adapter.
 */
const TABLES: StorageTable[] = ["campaigns", "search_jobs", "search_chains", "search_pages", "creators"];

describe("postgresStorage on PGlite", () => {
  const client = new PGlite();
  const db = drizzle(client);
  const schema = "creatorsearch";
  const table = (name: string) => `"${schema}"."${name}"`;
  let setup: PostgresStorage;
  beforeAll(async () => {
    setup = postgresStorage({ db, schema });
    await setup.ready();
  });
  afterAll(async () => {
    await setup.close();
    await client.close();
  });

  it("migrated the schema through the pglite driver and leaves the client open on close", async () => {
    const { rows } = await client.query<{ table_name: string }>(
      "select table_name from information_schema.tables where table_schema = $1 order by table_name",
      [schema],
    );
    expect(rows.map((r) => r.table_name)).toEqual(["__creatorsearch_migrations", "campaign_creator_keys", "campaign_creators", "campaigns", "creators", "search_chains", "search_jobs", "search_pages"]);
    expect(await setup.pendingMigrations()).toEqual([]);
  });

  describeStorageConformance("postgresStorage (PGlite)", {
    async open(options) {
      await client.exec(`truncate ${TABLES.map(table).join(", ")} restart identity cascade`);
      return {
        storage: postgresStorage({ db, schema, ...options }),
        raw: sqlRawStorage({
          query: async (text, params) => (await client.query<Record<string, unknown>>(text, params)).rows,
          run: async (text, params) => (await client.query(text, params)).affectedRows ?? 0,
          placeholder: (i) => `$${i}`,
          table,
        }),
      };
    },
  });
});
