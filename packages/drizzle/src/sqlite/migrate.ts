import { sql } from "drizzle-orm";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { migrationTags, migrationsFolder } from "../shared/migrations-folder.js";
import type { SqliteDatabase } from "./storage.js";

/** drizzle's default journal table for SQLite, kept so files made by earlier releases migrate on. */
const JOURNAL = "__drizzle_migrations";

/**
 * The tags of the shipped migrations the file lacks, oldest first, by drizzle's own rule: a
 * migration is applied when the journal holds one at least as recent.
 */
export function pendingSqliteMigrations(db: SqliteDatabase): string[] {
  const folder = migrationsFolder("sqlite");
  const tags = migrationTags(folder);
  const shipped = readMigrationFiles({ migrationsFolder: folder }).map((m, i) => ({ tag: tags[i] ?? String(m.folderMillis), millis: m.folderMillis }));
  const journal = db.get<{ n: number }>(sql`select count(*) as n from sqlite_master where type = 'table' and name = ${JOURNAL}`);
  if (!journal?.n) return shipped.map((m) => m.tag);
  const last = db.get<{ created_at: number | null }>(sql`select max(created_at) as created_at from ${sql.identifier(JOURNAL)}`);
  const lastMillis = Number(last?.created_at ?? -1);
  return shipped.filter((m) => m.millis > lastMillis).map((m) => m.tag);
}

/** Applies the shipped migrations the file lacks, with drizzle's migrator; returns their tags. */
export function migrateSqlite(db: SqliteDatabase): string[] {
  const pending = pendingSqliteMigrations(db);
  if (pending.length) migrate(db, { migrationsFolder: migrationsFolder("sqlite") });
  return pending;
}
