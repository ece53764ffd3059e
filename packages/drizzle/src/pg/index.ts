/**
 * `@creatorsearch/drizzle/pg`: storage for `@creatorsearch/core` on a PostgreSQL server, through
 * drizzle-orm and postgres.js (or a drizzle Postgres database of your own).
 *
 * @module @creatorsearch/drizzle/pg
 */
import { ConfigurationError, type RawPageRetention, type StorageAdapter, resolveRawPageRetention } from "@creatorsearch/core";
import { sql } from "drizzle-orm";
import { classifyFaults } from "../shared/faults.js";
import { gate } from "../shared/gate.js";
import { postgresFault } from "./faults.js";
import { checkTablePrefix } from "../shared/migrations-folder.js";
import { type PostgresJsSql, loadPostgresJs } from "./load-postgres-js.js";
import { type PgLocation, migratePostgres, pendingPostgresMigrations } from "./migrate.js";
import { drizzlePostgresJs } from "./postgres-js-db.js";
import { type PgTables, createPgTables, pgTables } from "./schema.js";
import { renewingPool } from "./renewing-pool.js";
import { type PostgresDatabase, createPostgresAdapter } from "./storage.js";

export * from "./schema.js";
export type { PostgresDatabase } from "./storage.js";

/**
 * Options of {@link postgresStorage}: a connection URL (the storage opens and owns a postgres.js
 * pool), or a drizzle database you already opened.
 */
export type PostgresStorageOptions = (
  | {
      /**
       * `postgres://user:password@host:port/database`; the storage owns the pool and ends it on
       * `close()`. Needs postgres.js (`postgres` 3 or 4) installed: it is loaded by this call.
       */
      url: string;
      /** Size of the connection pool (default 10). */
      max?: number;
      db?: never;
    }
  | {
      /**
       * Your own drizzle Postgres database (`drizzle-orm/postgres-js`, `drizzle-orm/node-postgres`...).
       * You keep ownership: `close()` leaves it open.
       */
      db: PostgresDatabase;
      url?: never;
      max?: never;
    }
) & {
  /** Postgres schema holding the tables and their migration journal (default `"public"`); created if missing. */
  schema?: string;
  /**
   * Starts every table name (and its journal, indexes and keys) with this, e.g. `"cs_"` gives
   * `cs_campaigns`, `cs_creators`...: keeps our tables apart from yours in a shared schema.
   * Letters, digits and `_`, at most 20 characters. Default none.
   */
  tablePrefix?: string;
  /**
   * Apply the shipped migrations on first use (default `true`). With `false`, first use checks
   * that the database has every migration and fails naming the missing ones; apply them with
   * {@link migrate} or `creatorsearch migrate --db <url>`.
   */
  migrate?: boolean;
  /**
   * How long raw upstream pages are kept once their step has committed (default
   * `"until-committed"`: dropped right after the commit, so the tables hold creators, not pages).
   * See `RawPageRetention`; `cs.maintenance.prune()` applies it to pages already stored.
   */
  rawPages?: RawPageRetention;
};

/** A Postgres {@link StorageAdapter}, plus the drizzle database it runs on. */
export interface PostgresStorage extends StorageAdapter {
  readonly id: "postgres";
  /**
   * The drizzle database (for your own queries, or to inspect rows in tests). With `url`, the one
   * of the pool in use: a pool the server dropped (a restart) is replaced by a fresh one.
   */
  readonly db: PostgresDatabase;
  /** The table objects of the configured schema and prefix, for your own queries on `db`. */
  readonly tables: PgTables;
  /** The Postgres schema of the tables. */
  readonly schema: string;
  /** The prefix of every table name (`""` for none). */
  readonly tablePrefix: string;
  /**
   * Applies the shipped migrations this database lacks (under an advisory lock, so concurrent
   * runs apply each once) and resolves with their tags, e.g. `["0000_init"]`; `[]` when up to date.
   */
  migrate(): Promise<string[]>;
  /** The tags of the shipped migrations this database lacks, oldest first; `[]` when up to date. */
  pendingMigrations(): Promise<string[]>;
  /**
   * Connects and applies the migrations, once; every storage method awaits it first, so calling
   * it is optional. Call it at start-up to fail fast: it rejects with a `ConfigurationError` that
   * names host, port, database and user (never the password). After a failure the next call
   * tries again.
   */
  ready(): Promise<void>;
}

/**
 * Opens Postgres storage: `postgresStorage({ url: process.env.DATABASE_URL })`. Returns at once;
 * the connection check and the shipped migrations run on first use (or on `ready()`), once, under
 * an advisory lock so several processes starting together migrate only once. Errors come as
 * `ConfigurationError`, e.g. `Cannot connect to Postgres at db.internal:5432/app as app: password
 * authentication failed for user "app"`; with `url` and no postgres.js installed, at once:
 * `postgresStorage({ url }) needs postgres.js: npm install postgres ...`. With `db`, postgres.js
 * is never loaded (node-postgres and PGlite users need not install it).
 *
 * @example
 * ```ts
 * import { createCreatorSearch, memoryQueue, tiktok } from "@creatorsearch/core";
 * import { postgresStorage } from "@creatorsearch/drizzle/pg";
 *
 * const storage = postgresStorage({ url: "postgres://app:secret@localhost:5432/app", schema: "creatorsearch" });
 * await storage.ready(); // optional: fail fast on a wrong URL
 * const cs = createCreatorSearch({ storage, queue: memoryQueue(), platforms: [tiktok()] });
 * ```
 *
 * @example Your own drizzle database
 * ```ts
 * import { drizzle } from "drizzle-orm/postgres-js";
 * import postgres from "postgres";
 * import { postgresStorage } from "@creatorsearch/drizzle/pg";
 *
 * const db = drizzle(postgres(process.env.DATABASE_URL!));
 * const storage = postgresStorage({ db }); // close() leaves `db` open
 * ```
 */
export function postgresStorage(options: PostgresStorageOptions): PostgresStorage {
  const schema = options.schema ?? "public";
  if (typeof schema !== "string" || schema.length === 0 || Buffer.byteLength(schema) > 63) {
    throw new ConfigurationError(`Invalid Postgres schema name ${JSON.stringify(schema)}: 1 to 63 bytes expected`);
  }
  const prefix = options.tablePrefix ?? "";
  const badPrefix = typeof prefix === "string" ? checkTablePrefix(prefix) : "a string expected";
  if (badPrefix) throw new ConfigurationError(`Invalid tablePrefix ${JSON.stringify(prefix)}: ${badPrefix}`);
  const location: PgLocation = { schema, prefix };
  const rawPages = resolveRawPageRetention(options.rawPages);

  const tables = schema === "public" && !prefix ? pgTables : createPgTables(schema, prefix);
  let current: () => PostgresDatabase;
  let adapter: StorageAdapter;
  let target: string | null;
  let secret: string | undefined;
  if (options.db) {
    const { db } = options;
    current = () => db;
    adapter = createPostgresAdapter(db, tables, async () => {}, rawPages);
    target = describeTarget((db as { $client?: { options?: unknown } }).$client?.options);
  } else {
    // postgres.js is loaded here, not imported: `db` users may not have it installed.
    const postgres = loadPostgresJs();
    const { url } = options;
    // Server notices ("schema already exists, skipping") are not worth a console line. Reconnects
    // back off up to 2 s, not postgres.js's 20 s: a restarted server is back in about a second.
    const openClient = () => postgres(url, { max: options.max ?? 10, onnotice: () => {}, backoff: reconnectBackoff });
    let client: PostgresJsSql;
    try {
      client = openClient();
    } catch (error) {
      // Never echo the URL: it may carry the password.
      throw new ConfigurationError(`Invalid Postgres URL: ${reasonOf(error, passwordOf(url))}`, { cause: error });
    }
    target = describeTarget(client.options);
    secret = client.options.pass ?? undefined;
    let first: PostgresJsSql | undefined = client;
    // A pool the server dropped is replaced by a fresh one (see renewingPool).
    const pool = renewingPool(() => {
      const opened = first ?? openClient();
      first = undefined;
      const db = drizzlePostgresJs(opened);
      return { db, adapter: createPostgresAdapter(db, tables, async () => {}, rawPages), end: () => opened.end({ timeout: 5 }) };
    });
    current = pool.db;
    adapter = pool.adapter;
  }
  const where = target ? ` at ${target}` : "";
  const place = `schema "${schema}"${prefix ? `, table prefix "${prefix}"` : ""}`;

  const connect = async () => {
    try {
      await current().execute(sql`select 1`);
    } catch (error) {
      throw new ConfigurationError(`Cannot connect to Postgres${where}: ${reasonOf(error, secret)}`, { cause: error });
    }
  };
  const migrateNow = async () => {
    try {
      return await migratePostgres(current(), location);
    } catch (error) {
      throw new ConfigurationError(`Cannot migrate the Postgres database${where} (${place}): ${reasonOf(error, secret)}`, { cause: error });
    }
  };
  const pendingMigrations = async () => {
    await connect();
    return pendingPostgresMigrations(current(), location);
  };
  const open = async () => {
    await connect();
    if (options.migrate !== false) {
      await migrateNow();
      return;
    }
    const missing = await pendingPostgresMigrations(current(), location);
    if (missing.length) {
      throw new ConfigurationError(
        `The Postgres database${where} (${place}) is on an older schema version: missing migration${missing.length > 1 ? "s" : ""} ${missing.join(", ")}. ` +
          "Apply them with `creatorsearch migrate --db <url>` or `await migrate(storage)`, or open the storage with `migrate: true`.",
      );
    }
  };
  let opening: Promise<void> | undefined;
  const ready = () =>
    (opening ??= open().catch((error: unknown) => {
      opening = undefined; // a later call tries again (the server may come back)
      throw error;
    }));

  // Faults are classified outside the gate: a server down while the first call opens is weather too.
  const classified = classifyFaults(gate(adapter, ready), "Postgres", postgresFault);
  const migrate = async () => {
    await connect();
    const applied = await migrateNow();
    opening = Promise.resolve(); // up to date now: no need to check again on first use
    return applied;
  };
  const storage = Object.assign(classified, { id: "postgres" as const, tables, schema, tablePrefix: prefix, ready, migrate, pendingMigrations });
  // The database of the pool in use: `postgresStorage({ url })` replaces a pool the server dropped.
  return Object.defineProperty(storage, "db", { get: current, enumerable: true }) as PostgresStorage;
}

/**
 * Applies the migrations shipped with this package, for deployments that migrate in a separate
 * step and open the storage with `migrate: false`. Takes a storage (its schema and prefix), or a
 * drizzle database with `{ schema, tablePrefix }`. Safe to run concurrently and repeatedly: an
 * advisory lock serializes runs, applied migrations are skipped. Resolves with the tags applied.
 *
 * @example
 * ```ts
 * import { migrate, postgresStorage } from "@creatorsearch/drizzle/pg";
 *
 * const storage = postgresStorage({ url: process.env.DATABASE_URL!, schema: "creatorsearch", migrate: false });
 * console.log(await migrate(storage)); // ["0000_init"] the first time, [] after
 * await storage.close();
 * ```
 */
export async function migrate(
  target: PostgresStorage | PostgresDatabase,
  options: { schema?: string; tablePrefix?: string } = {},
): Promise<string[]> {
  if (isStorage(target)) return target.migrate();
  return migratePostgres(target, { schema: options.schema ?? "public", prefix: options.tablePrefix ?? "" });
}

const isStorage = (target: PostgresStorage | PostgresDatabase): target is PostgresStorage =>
  (target as Partial<PostgresStorage>).id === "postgres" && typeof (target as Partial<PostgresStorage>).migrate === "function";

/** Seconds before a dropped connection tries again: 50 ms doubling up to 2 s, with jitter. */
function reconnectBackoff(attempt: number): number {
  return Math.min(0.05 * 2 ** attempt, 2) * (0.5 + Math.random() / 2);
}

/** `host:port/database as user` from postgres.js or node-postgres options; never the password. */
function describeTarget(options: unknown): string | null {
  if (!options || typeof options !== "object") return null;
  const o = options as Record<string, unknown>;
  let { host, port, database, user } = o;
  if (typeof o.connectionString === "string") {
    try {
      const url = new URL(o.connectionString);
      host ??= url.hostname;
      port ??= url.port || 5432;
      database ??= url.pathname.slice(1);
      user ??= decodeURIComponent(url.username);
    } catch {
      // Not a URL: describe what the other options say.
    }
  }
  if (host === undefined && database === undefined) return null;
  const hosts = Array.isArray(host) ? host : [host ?? "localhost"];
  const ports = Array.isArray(port) ? port : [port ?? 5432];
  const address = hosts.map((h, i) => `${h}:${ports[i] ?? ports[0]}`).join(",");
  return `${address}/${String(database ?? "")}${user ? ` as ${String(user)}` : ""}`;
}

function passwordOf(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The driver's own message (or code), under drizzle's "Failed query" wrapper, with the password
 * blanked out should a driver ever echo it.
 */
function reasonOf(error: unknown, secret: string | undefined): string {
  let root = error;
  for (let depth = 0; depth < 5 && root instanceof Error && root.cause instanceof Error; depth++) root = root.cause;
  const e = root as { message?: string; code?: string; errors?: { message?: string }[] };
  let reason = e?.message || e?.errors?.[0]?.message || e?.code || String(error);
  if (secret) reason = reason.split(secret).join("***");
  return reason;
}
