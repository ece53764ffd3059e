import { randomBytes } from "node:crypto";
import { type OpenedStorage, type StorageOpenOptions, type StorageTable, sqlRawStorage } from "@creatorsearch/test-utils/storage";
import postgres from "postgres";
import { afterAll, describe } from "vitest";
import { type PostgresStorage, postgresStorage } from "../../src/pg/index.js";

/*
 * The Postgres server of the tests: CREATORSEARCH_TEST_PG_URL, default the project machine's.
 * Unreachable: a test file using it fails under CI, and is skipped with a message elsewhere.
 */
export const PG_URL = process.env.CREATORSEARCH_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const CI = Boolean(process.env.CI) && process.env.CI !== "false" && process.env.CI !== "0";

async function probe(): Promise<string | null> {
  const client = postgres(PG_URL, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await client`select 1`;
    return null;
  } catch (error) {
    return (error as Error).message || String(error);
  } finally {
    await client.end({ timeout: 1 });
  }
}

/** `describe` when the server answers, `describe.skip` (with a warning) when not; throws under CI. */
export async function describeWithPostgres(file: string): Promise<typeof describe> {
  const unreachable = await probe();
  if (unreachable && CI) {
    throw new Error(`Postgres is unreachable at ${new URL(PG_URL).host} (${unreachable}); CI is set, so these tests fail instead of skipping.`);
  }
  if (unreachable) {
    console.warn(`[${file}] SKIPPED: Postgres is unreachable at ${new URL(PG_URL).host} (${unreachable}). Start it or set CREATORSEARCH_TEST_PG_URL.`);
    return describe.skip as typeof describe;
  }
  return describe;
}

export const uniqueName = (prefix: string) => `${prefix}_${randomBytes(5).toString("hex")}`;

const TABLES: StorageTable[] = ["campaigns", "search_jobs", "search_chains", "search_pages", "creators"];

/**
 * A schema of its own for one test file, dropped (with every storage opened in it closed) after
 * the file. `open()` empties its tables and returns a storage for one conformance test, with
 * separate pools for `connect()` and a raw side channel over another client.
 */
export function freshPostgresSchema(options: { tablePrefix?: string } = {}) {
  const schema = uniqueName("cs_test");
  const prefix = options.tablePrefix ?? "";
  const admin = postgres(PG_URL, { max: 4, onnotice: () => {} });
  const opened: PostgresStorage[] = [];
  let migrated: Promise<void> | undefined;
  const table = (name: string) => `"${schema}"."${prefix}${name}"`;

  afterAll(async () => {
    await Promise.all(opened.map((s) => s.close()));
    await admin.unsafe(`drop schema if exists "${schema}" cascade`);
    await admin.end({ timeout: 5 });
  });

  const storage = (extra: { max?: number } = {}) => {
    const s = postgresStorage({ url: PG_URL, schema, tablePrefix: prefix, ...extra });
    opened.push(s);
    return s;
  };

  return {
    schema,
    admin,
    table,
    /** A storage in the schema; closed after the file. */
    storage,
    /** One conformance test's backend: empty tables, a pool of 4, one-connection peers. */
    async open(options: StorageOpenOptions = {}): Promise<OpenedStorage> {
      migrated ??= storage().ready();
      await migrated;
      await admin.unsafe(`truncate ${TABLES.map(table).join(", ")} restart identity cascade`);
      return {
        storage: postgresStorage({ url: PG_URL, schema, tablePrefix: prefix, max: 4, ...options }),
        connect: () => postgresStorage({ url: PG_URL, schema, tablePrefix: prefix, max: 1, ...options }),
        raw: sqlRawStorage({
          query: (text, params) => admin.unsafe(text, params as never[]) as Promise<Record<string, unknown>[]>,
          run: async (text, params) => (await admin.unsafe(text, params as never[])).count,
          placeholder: (i) => `$${i}`,
          table,
        }),
      };
    },
  };
}
