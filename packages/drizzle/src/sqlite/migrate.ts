import { sql } from "drizzle-orm";
import { type MigrationMeta, readMigrationFiles } from "drizzle-orm/migrator";
import { migrationTags, migrationsFolder, prefixTableNames } from "../shared/migrations-folder.js";
import type { SqliteDatabase } from "./storage.js";

/**
 * Journal of the shipped migrations, after the table prefix (`cs___creatorsearch_migrations` for
 * `"cs_"`): the name the Postgres storage uses, apart from the application's own drizzle journal.
 */
export const MIGRATIONS_TABLE = "__creatorsearch_migrations";

/**
 * The journal of releases before table prefixes: drizzle's default. An unprefixed file that has
 * it but no {@link MIGRATIONS_TABLE} takes its entries over (those of our migrations only, as
 * the application may have shared it) and migrates on from there; it is left in place.
 */
export const LEGACY_MIGRATIONS_TABLE = "__drizzle_migrations";

type Shipped = MigrationMeta & { tag: string };
/** The database or a transaction on it. */
type Runner = Pick<SqliteDatabase, "get" | "run">;

/** The shipped migrations, with the table names prefixed, each with its tag (`0000_init`). */
function shippedMigrations(prefix: string): Shipped[] {
  const folder = migrationsFolder("sqlite");
  const tags = migrationTags(folder);
  return readMigrationFiles({ migrationsFolder: folder }).map((m, i) => ({
    ...m,
    tag: tags[i] ?? String(m.folderMillis),
    sql: m.sql.map((statement) => prefixTableNames(statement, prefix, "`")),
  }));
}

// SQLite table names ignore case (`CS_campaigns` is `cs_campaigns`), sqlite_master's `=` does not.
const hasTable = (db: Runner, name: string) =>
  Boolean(db.get<{ n: number }>(sql`select count(*) as n from sqlite_master where type = 'table' and name = ${name} collate nocase`)?.n);

/**
 * The `created_at` of the newest migration the journal of `prefix` records, or -1; for an
 * unprefixed file of an earlier release, the newest of ours in drizzle's default journal.
 */
function lastApplied(db: Runner, prefix: string, shipped: Shipped[]): number {
  const journal = prefix + MIGRATIONS_TABLE;
  let last: { created_at: number | null } | undefined;
  if (hasTable(db, journal)) {
    last = db.get(sql`select max(created_at) as created_at from ${sql.identifier(journal)}`);
  } else if (!prefix && hasTable(db, LEGACY_MIGRATIONS_TABLE)) {
    const ours = JSON.stringify(shipped.map((m) => m.folderMillis));
    last = db.get(
      sql`select max(created_at) as created_at from ${sql.identifier(LEGACY_MIGRATIONS_TABLE)}
          where created_at in (select value from json_each(${ours}))`,
    );
  }
  return Number(last?.created_at ?? -1);
}

/** drizzle's own rule: a migration is applied when the journal holds one at least as recent. */
const missing = (db: Runner, prefix: string, shipped: Shipped[]) => {
  const last = lastApplied(db, prefix, shipped);
  return shipped.filter((m) => m.folderMillis > last);
};

/**
 * The tags of the shipped migrations the tables of `prefix` lack, oldest first (empty when up
 * to date). Read-only: for storages opened with `migrate: false`.
 */
export function pendingSqliteMigrations(db: SqliteDatabase, prefix = ""): string[] {
  return missing(db, prefix, shippedMigrations(prefix)).map((m) => m.tag);
}

/**
 * Applies the shipped migrations the tables of `prefix` lack and returns their tags. The names
 * in the shipped SQL are prefixed, and each prefix has its own journal, so several prefixes in
 * one file migrate independently. Runs in one `BEGIN IMMEDIATE` transaction that reads the
 * journal again under the lock: processes opening the file together apply each migration once,
 * and a failing migration leaves neither tables nor journal entries behind.
 * The journal has drizzle's layout (`hash`, `created_at`), and drizzle's rule decides what is
 * missing, so files stay readable by drizzle's tooling.
 */
export function migrateSqlite(db: SqliteDatabase, prefix = ""): string[] {
  const shipped = shippedMigrations(prefix);
  const journalName = prefix + MIGRATIONS_TABLE;
  // Most opens find nothing to do: check without taking the write lock first. An unprefixed file
  // without our journal is new or from an earlier release: take its journal over once.
  if (!missing(db, prefix, shipped).length && (prefix || hasTable(db, journalName))) return [];
  const journal = sql.identifier(journalName);
  return db.transaction(
    (tx) => {
      if (!hasTable(tx, journalName)) {
        tx.run(sql`create table ${journal} (id integer primary key, hash text not null, created_at numeric)`);
        if (!prefix && hasTable(tx, LEGACY_MIGRATIONS_TABLE)) {
          // A file of an earlier release: carry over the entries of our migrations, in order.
          const ours = JSON.stringify(shipped.map((m) => m.folderMillis));
          tx.run(
            sql`insert into ${journal} (hash, created_at)
                select hash, created_at from ${sql.identifier(LEGACY_MIGRATIONS_TABLE)}
                where created_at in (select value from json_each(${ours})) order by created_at`,
          );
        }
      }
      const todo = missing(tx, prefix, shipped);
      for (const migration of todo) {
        for (const statement of migration.sql) tx.run(sql.raw(statement));
        tx.run(sql`insert into ${journal} (hash, created_at) values (${migration.hash}, ${migration.folderMillis})`);
      }
      return todo.map((m) => m.tag);
    },
    { behavior: "immediate" },
  );
}
