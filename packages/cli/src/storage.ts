import { resolve } from "node:path";
import { ConfigurationError } from "@creatorsearch/core";
import { type PostgresStorage, postgresStorage } from "@creatorsearch/drizzle/pg";
import { type SqliteStorage, sqliteStorage } from "@creatorsearch/drizzle/sqlite";
import { UsageError } from "./errors.js";

/** A storage the CLI opened from `--db`, and how to name it in messages (never with a password). */
export interface CliStorage {
  storage: PostgresStorage | SqliteStorage;
  /** `postgres://user@host:port/db (schema s)` or the absolute SQLite path. */
  location: string;
}

/** `--db` names a Postgres server when it is a `postgres://` or `postgresql://` URL. */
export const isPostgresUrl = (db: string): boolean => /^postgres(ql)?:\/\//i.test(db);

/**
 * Opens the storage `--db` names: a Postgres URL (an optional `?schema=name` picks the schema,
 * default `public`) or a SQLite file path relative to `cwd`. With `migrate` (the default) the
 * shipped migrations are applied; without, the schema version is checked. Either way the
 * connection is tried at once, so a wrong URL or password is one clear line (a `UsageError`).
 */
export async function openCliStorage(cwd: string, db: string, { migrate = true } = {}): Promise<CliStorage> {
  let opened: CliStorage;
  try {
    opened = isPostgresUrl(db) ? openPostgres(db, migrate) : openSqlite(cwd, db, migrate);
  } catch (error) {
    if (error instanceof ConfigurationError) throw new UsageError(error.message);
    throw error;
  }
  try {
    // Without migrating (the `migrate` command itself) only the connection is tried: the schema
    // may well be behind.
    if (migrate) await opened.storage.ready();
    else await opened.storage.pendingMigrations();
  } catch (error) {
    await opened.storage.close();
    if (error instanceof ConfigurationError) throw new UsageError(error.message);
    throw error;
  }
  return opened;
}

function openPostgres(db: string, migrate: boolean): CliStorage {
  let url: URL;
  try {
    url = new URL(db);
  } catch {
    throw new UsageError("--db is not a valid Postgres URL: expected postgres://user:password@host:port/database");
  }
  // `schema` is ours, not a server setting: take it off before postgres.js sees the URL.
  const schema = url.searchParams.get("schema") ?? undefined;
  url.searchParams.delete("schema");
  const storage = postgresStorage({ url: url.href, migrate, max: 4, ...(schema ? { schema } : {}) });
  const shown = new URL(url.href);
  shown.password = "";
  return { storage, location: `${shown.href}${schema ? ` (schema ${schema})` : ""}` };
}

function openSqlite(cwd: string, db: string, migrate: boolean): CliStorage {
  const file = resolve(cwd, db);
  return { storage: sqliteStorage({ file, migrate }), location: file };
}
