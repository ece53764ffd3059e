import { sql } from "drizzle-orm";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { PgDialect, type PgSession } from "drizzle-orm/pg-core";
import { migrationsFolder } from "../shared/migrations-folder.js";
import type { PostgresDatabase } from "./storage.js";

/** Journal of the shipped migrations, in the same schema as the tables. */
export const MIGRATIONS_TABLE = "__creatorsearch_migrations";

// First key of the advisory lock taken while migrating (the second is the schema's hash).
const LOCK_NAMESPACE = 0x63736d67; // "csmg"

/**
 * Applies the shipped migrations to `schema`, with drizzle's migrator, in one transaction that
 * first takes an advisory lock: several processes opening the same database at once apply them
 * once, the others wait and then find them applied.
 *
 * The migrations are generated for unqualified names (the default schema), so they run with
 * `search_path` set to `schema`; the foreign keys drizzle-kit qualifies as `"public".` are
 * pointed at `schema` as well. The journal is `<schema>.__creatorsearch_migrations`, apart from
 * the application's own drizzle journal.
 */
export async function migratePostgres(db: PostgresDatabase, schema: string): Promise<void> {
  const folder = migrationsFolder("pg");
  const qualified = `"${schema.replace(/"/g, '""')}".`;
  const migrations = readMigrationFiles({ migrationsFolder: folder }).map((m) => ({
    ...m,
    sql: schema === "public" ? m.sql : m.sql.map((statement) => statement.replaceAll('"public".', qualified)),
  }));
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${sql.raw(String(LOCK_NAMESPACE))}, hashtext(${schema}))`);
    await tx.execute(sql`create schema if not exists ${sql.identifier(schema)}`);
    await tx.execute(sql`set local search_path to ${sql.identifier(schema)}`);
    // drizzle's migrator opens a transaction of its own; run it inside this one instead, so the
    // lock and the search_path hold for every statement (and postgres.js cannot nest `begin`).
    const session: PgSession = Object.create(tx._.session, {
      transaction: { value: (run: (t: typeof tx) => Promise<unknown>) => run(tx) },
    });
    await new PgDialect().migrate(migrations, session, {
      migrationsFolder: folder,
      migrationsSchema: schema,
      migrationsTable: MIGRATIONS_TABLE,
    });
  });
}
