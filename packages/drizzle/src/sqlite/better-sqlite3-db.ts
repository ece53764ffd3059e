import { createTableRelationsHelpers, entityKind, extractTablesRelationalConfig } from "drizzle-orm";
import { BetterSQLiteSession } from "drizzle-orm/better-sqlite3/session";
import { BaseSQLiteDatabase, SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
import type BetterSqlite3 from "better-sqlite3";
import type { SqliteDatabase } from "./storage.js";

/*
 * A drizzle database on a better-sqlite3 connection, built the way `drizzle()` of
 * `drizzle-orm/better-sqlite3` builds it (drizzle-orm 0.44 and 0.45 alike). That module imports
 * better-sqlite3 at its top, so importing it would make `@creatorsearch/drizzle/sqlite` fail to
 * load where better-sqlite3 is missing, before the message naming the fix; the session module
 * imports no driver. test/better-sqlite3-db.test.ts compares the result with `drizzle()`'s.
 */

/** The class `drizzle-orm/better-sqlite3` gives its databases (same entity kind, so `is()` agrees). */
class BetterSQLite3Database extends BaseSQLiteDatabase<"sync", BetterSqlite3.RunResult, Record<string, unknown>> {
  static override readonly [entityKind]: string = "BetterSQLite3Database";
}

/** The better-sqlite3 connection a drizzle database made by `drizzle(sqlite)` (or this module) carries. */
export const betterSqlite3ClientOf = (db: SqliteDatabase): BetterSqlite3.Database | undefined =>
  (db as unknown as { $client?: BetterSqlite3.Database }).$client;

/** `drizzle(client, { schema })` of `drizzle-orm/better-sqlite3`, without importing better-sqlite3. */
export function drizzleBetterSqlite3(client: BetterSqlite3.Database, schema: Record<string, unknown>): SqliteDatabase {
  const tables = extractTablesRelationalConfig(schema, createTableRelationsHelpers);
  const relational = { fullSchema: schema, schema: tables.tables, tableNamesMap: tables.tableNamesMap };
  const dialect = new SQLiteSyncDialect();
  const session = new BetterSQLiteSession(client, dialect, relational, {});
  const db = new BetterSQLite3Database("sync", dialect, session as never, relational);
  return Object.assign(db, { $client: client }) as unknown as SqliteDatabase;
}
