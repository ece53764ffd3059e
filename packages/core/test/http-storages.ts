import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { postgresStorage } from "@creatorsearch/drizzle/pg";
import { sqliteStorage } from "@creatorsearch/drizzle/sqlite";
import postgres from "postgres";
import { type StorageAdapter, memoryStorage } from "../src/index.js";

/*
 * The storages the HTTP tests run on: memory, a real SQLite file, and a real Postgres schema
 * (CREATORSEARCH_TEST_PG_URL, default the project machine's). An unreachable Postgres fails the
 * run under CI and is left out, with a warning, elsewhere.
 */
const PG_URL = process.env.CREATORSEARCH_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const CI = Boolean(process.env.CI) && process.env.CI !== "false" && process.env.CI !== "0";

export interface HttpStorage {
  name: string;
  create(): StorageAdapter;
  cleanup(): Promise<void>;
}

async function pgReachable(): Promise<string | null> {
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

export async function httpStorages(file: string): Promise<HttpStorage[]> {
  const dir = await mkdtemp(join(tmpdir(), "cs-http-"));
  const storages: HttpStorage[] = [
    { name: "memory", create: () => memoryStorage(), cleanup: async () => {} },
    { name: "sqlite file", create: () => sqliteStorage({ file: join(dir, `${randomBytes(4).toString("hex")}.db`) }), cleanup: () => rm(dir, { recursive: true, force: true }) },
  ];
  const unreachable = await pgReachable();
  if (unreachable && CI) throw new Error(`[${file}] Postgres is unreachable at ${new URL(PG_URL).host} (${unreachable}); CI is set, so this fails instead of skipping.`);
  if (unreachable) {
    console.warn(`[${file}] Postgres left out: unreachable at ${new URL(PG_URL).host} (${unreachable}).`);
    return storages;
  }
  const schemas: string[] = [];
  storages.push({
    name: "postgres",
    create: () => {
      const schema = `cs_http_${randomBytes(5).toString("hex")}`;
      schemas.push(schema);
      return postgresStorage({ url: PG_URL, schema });
    },
    async cleanup() {
      const admin = postgres(PG_URL, { max: 1, onnotice: () => {} });
      for (const schema of schemas) await admin.unsafe(`drop schema if exists "${schema}" cascade`);
      await admin.end({ timeout: 5 });
    },
  });
  return storages;
}
