/**
 * `@creatorsearch/drizzle/pg`: storage for `@creatorsearch/core` on a PostgreSQL server, through
 * drizzle-orm and postgres.js (or a drizzle Postgres database of your own).
 *
 * @packageDocumentation
 */
import { ConfigurationError, type StorageAdapter } from "@creatorsearch/core";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { migratePostgres } from "./migrate.js";
import { type PgTables, createPgTables, pgTables } from "./schema.js";
import { type PostgresDatabase, createPostgresAdapter } from "./storage.js";

export * from "./schema.js";
export type { PostgresDatabase } from "./storage.js";

/**
 * Options of {@link postgresStorage}: a connection URL (the storage opens and owns a postgres.js
 * pool), or a drizzle database you already opened.
 */
export type PostgresStorageOptions = (
  | {
      /** `postgres://user:password@host:port/database`; the storage owns the pool and ends it on `close()`. */
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
  /** Apply the shipped migrations on first use (default `true`). */
  migrate?: boolean;
};

/** A Postgres {@link StorageAdapter}, plus the drizzle database it runs on. */
export interface PostgresStorage extends StorageAdapter {
  readonly id: "postgres";
  /** The drizzle database (for your own queries, or to inspect rows in tests). */
  readonly db: PostgresDatabase;
  /** The table objects of the configured schema, for your own queries on `db`. */
  readonly tables: PgTables;
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
 * authentication failed for user "app"`.
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

  let db: PostgresDatabase;
  let close: () => Promise<void>;
  let target: string | null;
  let secret: string | undefined;
  if (options.db) {
    db = options.db;
    close = async () => {};
    target = describeTarget((db as { $client?: { options?: unknown } }).$client?.options);
  } else {
    let client: postgres.Sql;
    try {
      // Server notices ("schema already exists, skipping") are not worth a console line.
      client = postgres(options.url, { max: options.max ?? 10, onnotice: () => {} });
    } catch (error) {
      // Never echo the URL: it may carry the password.
      throw new ConfigurationError(`Invalid Postgres URL: ${reasonOf(error, passwordOf(options.url))}`, { cause: error });
    }
    db = drizzle(client);
    close = () => client.end({ timeout: 5 });
    target = describeTarget(client.options);
    secret = client.options.pass ?? undefined;
  }
  const tables = schema === "public" ? pgTables : createPgTables(schema);
  const where = target ? ` at ${target}` : "";

  const open = async () => {
    try {
      await db.execute(sql`select 1`);
    } catch (error) {
      throw new ConfigurationError(`Cannot connect to Postgres${where}: ${reasonOf(error, secret)}`, { cause: error });
    }
    if (options.migrate === false) return;
    try {
      await migratePostgres(db, schema);
    } catch (error) {
      throw new ConfigurationError(`Cannot migrate the Postgres database${where} (schema "${schema}"): ${reasonOf(error, secret)}`, {
        cause: error,
      });
    }
  };
  let opening: Promise<void> | undefined;
  const ready = () =>
    (opening ??= open().catch((error: unknown) => {
      opening = undefined; // a later call tries again (the server may come back)
      throw error;
    }));

  const adapter = gate(createPostgresAdapter(db, tables, close), ready);
  return Object.assign(adapter, { id: "postgres" as const, db, tables, ready });
}

/**
 * Applies the migrations shipped with this package to `db`, in `schema` (default `"public"`),
 * for deployments that migrate in a separate step and open the storage with `migrate: false`.
 * Safe to run concurrently and repeatedly: an advisory lock serializes runs, applied migrations
 * are skipped.
 *
 * @example
 * ```ts
 * import { drizzle } from "drizzle-orm/postgres-js";
 * import postgres from "postgres";
 * import { migrate } from "@creatorsearch/drizzle/pg";
 *
 * const client = postgres(process.env.DATABASE_URL!, { max: 1 });
 * await migrate(drizzle(client), { schema: "creatorsearch" });
 * await client.end();
 * ```
 */
export async function migrate(db: PostgresDatabase, options: { schema?: string } = {}): Promise<void> {
  await migratePostgres(db, options.schema ?? "public");
}

/** Makes every method but `close` wait for `ready()`: connecting is async, the factory is not. */
function gate(adapter: StorageAdapter, ready: () => Promise<void>): StorageAdapter {
  const gated: Record<string, unknown> = { ...adapter };
  for (const [name, method] of Object.entries(adapter)) {
    if (typeof method !== "function" || name === "close") continue;
    gated[name] = async (...args: unknown[]) => {
      await ready();
      return (method as (...a: unknown[]) => unknown)(...args);
    };
  }
  return gated as unknown as StorageAdapter;
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
