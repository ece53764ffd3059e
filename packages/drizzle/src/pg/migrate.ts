import { sql } from "drizzle-orm";
import { type MigrationMeta, readMigrationFiles } from "drizzle-orm/migrator";
import { PgDialect, type PgSession } from "drizzle-orm/pg-core";
import { migrationsFolder, migrationTags, prefixTableNames } from "../shared/migrations-folder.js";
import type { PostgresDatabase } from "./storage.js";

/** Journal of the shipped migrations (after the table prefix), in the same schema as the tables. */
export const MIGRATIONS_TABLE = "__creatorsearch_migrations";

// First key of the advisory lock taken while migrating (the second is the schema's hash).
const LOCK_NAMESPACE = 0x63736d67; // "csmg"

/** Where the tables live: a Postgres schema and a prefix of every table name. */
export interface PgLocation {
  schema: string;
  prefix: string;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The shipped migrations, rewritten for `location`, each with its tag (`0000_init`). */
function shippedMigrations({ schema, prefix }: PgLocation): (MigrationMeta & { tag: string })[] {
  const folder = migrationsFolder("pg");
  const tags = migrationTags(folder);
  return readMigrationFiles({ migrationsFolder: folder }).map((m, i) => ({
    ...m,
    tag: tags[i] ?? String(m.folderMillis),
    sql: m.sql.map((statement) => {
      const named = prefixTableNames(statement, prefix, '"');
      return schema === "public" ? named : named.replaceAll('"public".', `${quote(schema)}.`);
    }),
  }));
}

/**
 * Applies the shipped migrations to `location`, with drizzle's migrator, in one transaction that
 * first takes an advisory lock: several processes opening the same database at once apply them
 * once, the others wait and then find them applied. Resolves with the tags it applied.
 *
 * The migrations are generated for unqualified, unprefixed names (the default schema), so they
 * run with `search_path` set to the schema and table names prefixed; the foreign keys
 * drizzle-kit qualifies as `"public".` are pointed at the schema as well. The journal is
 * `<schema>.<prefix>__creatorsearch_migrations`, apart from the application's own drizzle journal.
 */
export async function migratePostgres(db: PostgresDatabase, location: PgLocation): Promise<string[]> {
  const { schema, prefix } = location;
  const migrations = shippedMigrations(location);
  let applied: string[] = [];
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${sql.raw(String(LOCK_NAMESPACE))}, hashtext(${`${schema}.${prefix}`}))`);
    await tx.execute(sql`create schema if not exists ${sql.identifier(schema)}`);
    await tx.execute(sql`set local search_path to ${sql.identifier(schema)}`);
    applied = (await missingIn(tx, migrations, location)).map((m) => m.tag);
    // drizzle's migrator opens a transaction of its own; run it inside this one instead, so the
    // lock and the search_path hold for every statement (and postgres.js cannot nest `begin`).
    const session: PgSession = Object.create(tx._.session, {
      transaction: { value: (run: (t: typeof tx) => Promise<unknown>) => run(tx) },
    });
    await new PgDialect().migrate(migrations, session, {
      migrationsFolder: migrationsFolder("pg"),
      migrationsSchema: schema,
      migrationsTable: prefix + MIGRATIONS_TABLE,
    });
  });
  return applied;
}

/**
 * The tags of the shipped migrations that `location` lacks, oldest first (empty when it is up
 * to date). Read-only: for storages opened with `migrate: false`.
 */
export async function pendingPostgresMigrations(db: PostgresDatabase, location: PgLocation): Promise<string[]> {
  return (await missingIn(db, shippedMigrations(location), location)).map((m) => m.tag);
}

/** drizzle's own rule: a migration is applied when the journal has one at least as recent. */
async function missingIn<M extends MigrationMeta>(db: PostgresDatabase, migrations: M[], { schema, prefix }: PgLocation): Promise<M[]> {
  const journal = prefix + MIGRATIONS_TABLE;
  const rows = await db.execute<{ exists: boolean }>(
    sql`select to_regclass(${`${quote(schema)}.${quote(journal)}`}) is not null as "exists"`,
  );
  if (!rowsOf<{ exists: boolean }>(rows)[0]?.exists) return migrations;
  const last = await db.execute<{ created_at: string | number | null }>(
    sql`select max(created_at) as created_at from ${sql.identifier(schema)}.${sql.identifier(journal)}`,
  );
  const lastMillis = Number(rowsOf<{ created_at: string | number | null }>(last)[0]?.created_at ?? -1);
  return migrations.filter((m) => m.folderMillis > lastMillis);
}

/** postgres.js returns the rows, node-postgres and PGlite a result with `rows`. */
function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : ((result as { rows?: T[] }).rows ?? [])) as T[];
}
