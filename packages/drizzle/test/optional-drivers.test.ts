import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { ConfigurationError } from "@creatorsearch/core";
import { drizzle } from "drizzle-orm/pglite";
import { afterAll, describe, expect, it, vi } from "vitest";

/*
 * The drivers are optional peers: `@creatorsearch/drizzle/pg` and `/sqlite` import without
 * postgres.js or better-sqlite3 (nor drizzle's driver modules that import them), so a user on
 * node-postgres or PGlite, or passing their own db, needs neither installed. Importing any of
 * them statically from src fails this file. Opening a storage that needs a missing driver names
 * the install command.
 */
const { forbidden } = vi.hoisted(() => ({
  forbidden: (name: string) => () => {
    throw new Error(`${name} was imported at module load; it must be loaded only when a storage opens its own connection`);
  },
}));
vi.mock("postgres", forbidden("postgres"));
vi.mock("drizzle-orm/postgres-js", forbidden("drizzle-orm/postgres-js"));
vi.mock("better-sqlite3", forbidden("better-sqlite3"));
vi.mock("drizzle-orm/better-sqlite3", forbidden("drizzle-orm/better-sqlite3"));

// As if neither driver were installed: the loaders resolve from an empty folder.
const empty = mkdtempSync(join(tmpdir(), "cs-no-drivers-"));
const requireFromEmpty = createRequire(join(empty, "app.js"));
vi.mock("../src/pg/load-postgres-js.js", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../src/pg/load-postgres-js.js")>();
  return { ...actual, loadPostgresJs: () => actual.loadPostgresJs("postgres", requireFromEmpty) };
});
vi.mock("../src/sqlite/load-better-sqlite3.js", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../src/sqlite/load-better-sqlite3.js")>();
  return { ...actual, loadBetterSqlite3: () => actual.loadBetterSqlite3(requireFromEmpty) };
});

const { postgresStorage } = await import("../src/pg/index.js");
const { sqliteStorage } = await import("../src/sqlite/index.js");
const { drizzleBetterSqlite3 } = await import("../src/sqlite/better-sqlite3-db.js");
const { sqliteSchema } = await import("../src/sqlite/schema.js");

afterAll(() => rmSync(empty, { recursive: true, force: true }));

describe("without postgres.js", () => {
  it("postgresStorage({ db }) runs on PGlite", async () => {
    const client = new PGlite();
    try {
      const storage = postgresStorage({ db: drizzle(client), schema: "nodrivers" });
      await storage.ready();
      expect(await storage.pendingMigrations()).toEqual([]);
      await storage.close();
    } finally {
      await client.close();
    }
  });

  it("postgresStorage({ url }) names the install command", () => {
    expect(() => postgresStorage({ url: "postgres://u@127.0.0.1:1/db" })).toThrow(
      new ConfigurationError("postgresStorage({ url }) needs postgres.js: npm install postgres (or pass your own drizzle database as `db`)"),
    );
  });
});

describe("without better-sqlite3", () => {
  it("sqliteStorage({ file }) names the install command", () => {
    expect(() => sqliteStorage({ file: ":memory:" })).toThrow(new ConfigurationError("sqliteStorage({ file }) needs better-sqlite3: npm install better-sqlite3@12"));
  });

  it("sqliteStorage({ db }) does not load it again", async () => {
    // The caller's own connection (loaded natively here, as the caller's code would).
    const Database = createRequire(import.meta.url)("better-sqlite3") as typeof import("better-sqlite3");
    const client = new Database(":memory:");
    try {
      const storage = sqliteStorage({ db: drizzleBetterSqlite3(client, sqliteSchema as never) });
      expect(await storage.pendingMigrations()).toEqual([]);
      await storage.close();
      expect(client.open).toBe(true);
    } finally {
      client.close();
    }
  });
});
