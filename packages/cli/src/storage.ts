import { resolve } from "node:path";
import { ConfigurationError, type RawPageRetention } from "@creatorsearch/core";
import type { PostgresStorage } from "@creatorsearch/drizzle/pg";
import type { SqliteStorage } from "@creatorsearch/drizzle/sqlite";
import { UsageError } from "./errors.js";
import { importOptional, missingOptional } from "./optional.js";

/** A storage the CLI opened from `--db`, and how to name it in messages (never with a password). */
export interface CliStorage {
  storage: PostgresStorage | SqliteStorage;
  /** `postgres://user@host:port/db (schema s)` or the absolute SQLite path. */
  location: string;
}

/** What `--db postgres://...` needs and the CLI does not install: postgres.js, an optional peer. */
const POSTGRES_NEEDS = ["--db postgres://...", "postgres.js", ["postgres"]] as const;

/** `--db` names a Postgres server when it is a `postgres://` or `postgresql://` URL. */
export const isPostgresUrl = (db: string): boolean => /^postgres(ql)?:\/\//i.test(db);

/**
 * Opens the storage `--db` names: a Postgres URL (an optional `?schema=name` picks the schema,
 * default `public`) or a SQLite file path relative to `cwd`. With `migrate` (the default) the
 * shipped migrations are applied; without, the schema version is checked. Either way the
 * connection is tried at once, so a wrong URL or password is one clear line (a `UsageError`).
 *
 * Each driver is imported here, when `--db` asks for it: postgres.js is an optional peer
 * dependency, and neither driver is loaded by commands that never open a database.
 */
export async function openCliStorage(
  cwd: string,
  db: string,
  { migrate = true, rawPages }: { migrate?: boolean; rawPages?: RawPageRetention } = {},
): Promise<CliStorage> {
  // A driver may fail to load on import, when the storage is made, or on its first query.
  const driverProblem = (error: unknown): UsageError | undefined => {
    if (isPostgresUrl(db)) return missingOptional(error, ...POSTGRES_NEEDS);
    const addon = sqliteAddonProblem(error);
    return addon ? new UsageError(addon) : undefined;
  };
  let opened: CliStorage;
  try {
    const options = { migrate, ...(rawPages ? { rawPages } : {}) };
    opened = isPostgresUrl(db) ? await openPostgres(db, options) : await openSqlite(cwd, db, options);
  } catch (error) {
    const problem = driverProblem(error);
    if (problem) throw problem;
    if (error instanceof ConfigurationError) throw new UsageError(oneLine(error));
    throw error;
  }
  try {
    // Without migrating (the `migrate` command itself) only the connection is tried: the schema
    // may well be behind.
    if (migrate) await opened.storage.ready();
    else await opened.storage.pendingMigrations();
  } catch (error) {
    await opened.storage.close();
    const problem = driverProblem(error);
    if (problem) throw problem;
    if (error instanceof ConfigurationError) throw new UsageError(oneLine(error));
    throw error;
  }
  return opened;
}

type OpenOptions = { migrate: boolean; rawPages?: RawPageRetention };

async function openPostgres(db: string, options: OpenOptions): Promise<CliStorage> {
  let url: URL;
  try {
    url = new URL(db);
  } catch {
    throw new UsageError("--db is not a valid Postgres URL: expected postgres://user:password@host:port/database");
  }
  const { postgresStorage } = await importOptional(() => import("@creatorsearch/drizzle/pg"), ...POSTGRES_NEEDS);
  // `schema` is ours, not a server setting: take it off before postgres.js sees the URL.
  const schema = url.searchParams.get("schema") ?? undefined;
  url.searchParams.delete("schema");
  const storage = postgresStorage({ url: url.href, ...options, max: 4, ...(schema ? { schema } : {}) });
  const shown = new URL(url.href);
  shown.password = "";
  return { storage, location: `${shown.href}${schema ? ` (schema ${schema})` : ""}` };
}

async function openSqlite(cwd: string, db: string, options: OpenOptions): Promise<CliStorage> {
  // better-sqlite3 is a dependency: missing means an install with its dependencies left out.
  const { sqliteStorage } = await importOptional(() => import("@creatorsearch/drizzle/sqlite"), "--db FILE", "better-sqlite3", ["better-sqlite3"]);
  const file = resolve(cwd, db);
  return { storage: sqliteStorage({ file, ...options }), location: file };
}

/**
 * The one line for a better-sqlite3 native addon that does not load, or undefined for any other
 * error (the error's `cause` chain is searched). pnpm 10 installs the addon unbuilt unless its
 * build is allowed, and a Node upgrade leaves a build for the old ABI; the fix names the CLI,
 * not better-sqlite3 alone, as the CLI is what the user installed.
 */
export function sqliteAddonProblem(error: unknown): string | undefined {
  const seen: string[] = [];
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) seen.push(e.message, String((e as NodeJS.ErrnoException).code));
  const text = seen.join("\n");
  // First the ABI: its message names the addon file too, which exists but does not fit.
  if (/NODE_MODULE_VERSION|ERR_DLOPEN_FAILED/.test(text)) {
    return `better-sqlite3 was built for another Node.js than ${process.version}: npm rebuild better-sqlite3 where @creatorsearch/cli is installed (pnpm rebuild better-sqlite3 with pnpm), or reinstall the CLI`;
  }
  if (/Could not locate the bindings file|better_sqlite3\.node|never built/.test(text)) {
    return "better-sqlite3's native module was not built (pnpm 10 skips build scripts unless allowed): pnpm add -g --allow-build=better-sqlite3 @creatorsearch/cli (without -g in a project), or npm rebuild better-sqlite3";
  }
  return undefined;
}

/** Driver messages can span lines (a bindings search list, a SQL context): keep the first. */
const oneLine = (error: Error): string => error.message.split("\n")[0]!.trim();
