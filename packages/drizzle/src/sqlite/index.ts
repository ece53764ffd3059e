/**
 * `@creatorsearch/drizzle/sqlite`: storage for `@creatorsearch/core` in a SQLite file, through
 * drizzle-orm and better-sqlite3. The embedded default: no server, one file.
 *
 * @module @creatorsearch/drizzle/sqlite
 */
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { ConfigurationError, type RawPageRetention, type StorageAdapter, resolveRawPageRetention } from "@creatorsearch/core";
import type Database from "better-sqlite3";
import { classifyFaults } from "../shared/faults.js";
import { gate } from "../shared/gate.js";
import { sqliteFault } from "./faults.js";
import { checkTablePrefix } from "../shared/migrations-folder.js";
import { drizzleBetterSqlite3 } from "./better-sqlite3-db.js";
import { loadBetterSqlite3, openBetterSqlite3 } from "./load-better-sqlite3.js";
import { migrateSqlite, pendingSqliteMigrations } from "./migrate.js";
import { type SqliteTables, createSqliteTables, sqliteSchema } from "./schema.js";
import { type SqliteDatabase, createSqliteAdapter } from "./storage.js";
import { type WalCheckpointer, startWalCheckpointer } from "./wal-checkpointer.js";

export * from "./schema.js";
export type { SqliteDatabase } from "./storage.js";

/** Options of {@link sqliteStorage}: a file path, or a drizzle database you already opened. */
export type SqliteStorageOptions = (
  | {
      /** Path of the database file; created (with its folder) when missing. `":memory:"` works too. */
      file: string;
      db?: never;
    }
  | {
      /** Your own drizzle database on better-sqlite3. You keep ownership: `close()` leaves it open. */
      db: SqliteDatabase;
      file?: never;
    }
) & {
  /**
   * Starts every table name (and its indexes and migration journal) with this, e.g. `"cs_"` gives
   * `cs_campaigns`, `cs_creators`...: keeps our tables apart from yours in a shared file, and lets
   * several storages share one file, each with its own tables, migrated independently. Letters,
   * digits and `_`, not starting with a digit, at most 20 characters (the rule of
   * `postgresStorage`). SQLite names ignore case: `"CS_"` and `"cs_"` are the same tables.
   * Default none.
   */
  tablePrefix?: string;
  /**
   * Apply the shipped migrations when opening (default `true`). With `false`, opening checks
   * that the file has every migration and fails naming the missing ones; apply them with
   * {@link migrate} or `creatorsearch migrate --db <file>`.
   */
  migrate?: boolean;
  /** How long a writer waits for another process's lock before failing (default 5000 ms). */
  busyTimeoutMs?: number;
  /**
   * How long raw upstream pages are kept once their step has committed (default
   * `"until-committed"`: dropped in the commit, so the file holds creators, not pages). See
   * `RawPageRetention`; `cs.maintenance.prune()` applies it to pages already stored.
   */
  rawPages?: RawPageRetention;
  /**
   * Where the WAL is checkpointed (its pages copied into the database file), for a `file` storage:
   * - `"thread"` (default): a worker thread with a connection of its own, every 100 ms, started
   *   with the first step that stores a page. The thread that runs the steps (and, in one process,
   *   answers HTTP) no longer pays a commit of a few ms for every sixth step; the worker costs a
   *   thread and a second connection.
   * - `"inline"`: SQLite's own, in the commit that takes the WAL past 1,000 pages.
   *
   * With `db` (your connection), `":memory:"`, or a bundler whose `require` cannot resolve
   * better-sqlite3's path for the thread, SQLite's own applies.
   */
  walCheckpoints?: "thread" | "inline";
};

/** A SQLite {@link StorageAdapter}, plus the drizzle database it runs on. */
export interface SqliteStorage extends StorageAdapter {
  readonly id: "sqlite";
  /** The drizzle database (for your own queries, or to inspect rows in tests). */
  readonly db: SqliteDatabase;
  /** The table objects of the configured prefix, for your own queries on `db`. */
  readonly tables: SqliteTables;
  /** The prefix of every table name (`""` for none). */
  readonly tablePrefix: string;
  /**
   * Resolves once the storage is usable; with `migrate: false`, rejects with a
   * `ConfigurationError` naming the migrations the file lacks. Every method awaits it first.
   */
  ready(): Promise<void>;
  /** Applies the shipped migrations the file lacks; resolves with their tags (`[]` when up to date). */
  migrate(): Promise<string[]>;
  /** The tags of the shipped migrations the file lacks, oldest first; `[]` when up to date. */
  pendingMigrations(): Promise<string[]>;
}

/**
 * Opens SQLite storage: `sqliteStorage({ file: "creatorsearch.db" })`. The file runs in WAL
 * mode with a busy timeout, so a CLI and a worker can share it, and the shipped migrations are
 * applied on open. Throws `ConfigurationError` when the file cannot be opened or migrated, or
 * when `tablePrefix` is not letters, digits and `_`; with `file`, also when better-sqlite3 is not
 * installed, needs a newer Node than this one (checked before its native addon loads, which would
 * crash the process), or has no built addon, each naming the fix. With `db` it is not loaded.
 *
 * @example
 * ```ts
 * import { createCreatorSearch, memoryQueue, tiktok } from "@creatorsearch/core";
 * import { sqliteStorage } from "@creatorsearch/drizzle/sqlite";
 *
 * const cs = createCreatorSearch({
 *   storage: sqliteStorage({ file: "creatorsearch.db" }),
 *   queue: memoryQueue(),
 *   platforms: [tiktok()],
 * });
 * ```
 *
 * @example Two storages in one file, apart
 * ```ts
 * import { sqliteStorage } from "@creatorsearch/drizzle/sqlite";
 *
 * const staging = sqliteStorage({ file: "app.db", tablePrefix: "staging_" }); // staging_campaigns...
 * const live = sqliteStorage({ file: "app.db", tablePrefix: "live_" }); // live_campaigns...
 * ```
 */
export function sqliteStorage(options: SqliteStorageOptions): SqliteStorage {
  const prefix = options.tablePrefix ?? "";
  const badPrefix = typeof prefix === "string" ? checkTablePrefix(prefix) : "a string expected";
  if (badPrefix) throw new ConfigurationError(`Invalid tablePrefix ${JSON.stringify(prefix)}: ${badPrefix}`);
  const tables: SqliteTables = prefix ? createSqliteTables(prefix) : sqliteSchema;
  const rawPages = resolveRawPageRetention(options.rawPages);
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  let db: SqliteDatabase;
  let close: () => void | Promise<void>;
  /** Starts the WAL checkpointer thread; set only when this storage has one (see `walCheckpoints`). */
  let startCheckpointer: (() => void) | undefined;
  if (options.db) {
    db = options.db;
    close = () => {};
  } else {
    const file = options.file === ":memory:" ? ":memory:" : resolve(options.file);
    // Loaded here, not imported: checked against the running Node before its addon loads.
    const driver = loadBetterSqlite3();
    let sqlite: Database.Database;
    try {
      if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
      sqlite = openBetterSqlite3(driver, file, { timeout: busyTimeoutMs });
      // Before the first table: only a new, empty file takes it (VACUUM converts an old one).
      // Pages freed by dropped raw pages then go back to the file system, not only to reuse.
      sqlite.pragma("auto_vacuum = INCREMENTAL");
      sqlite.pragma("journal_mode = WAL");
      sqlite.pragma("synchronous = NORMAL");
      sqlite.pragma("foreign_keys = ON");
    } catch (error) {
      if (error instanceof ConfigurationError) throw error;
      throw new ConfigurationError(`Cannot open the SQLite database ${file}: ${(error as Error).message}`, { cause: error });
    }
    // The relational queries of `db.query` read the tables of the prefix too (typed as unprefixed).
    db = drizzleBetterSqlite3(sqlite, tables);
    let checkpointer: WalCheckpointer | undefined;
    const entry = driver.entry;
    if (file !== ":memory:" && options.walCheckpoints !== "inline" && entry) {
      startCheckpointer = () => {
        if (checkpointer || !sqlite.open) return;
        checkpointer = startWalCheckpointer({
          file,
          driver: entry,
          timeoutMs: busyTimeoutMs,
          // The writer stops checkpointing only once the thread has the file open, and resumes if it fails.
          onReady: () => void (sqlite.open && sqlite.pragma("wal_autocheckpoint = 0")),
          onFailure: () => void (sqlite.open && sqlite.pragma("wal_autocheckpoint = 1000")),
        });
      };
    }
    close = async () => {
      await checkpointer?.stop();
      if (sqlite.open) sqlite.close();
    };
  }
  const path = options.file ? ` ${options.file === ":memory:" ? ":memory:" : resolve(options.file)}` : "";
  const where = `${path}${prefix ? ` (table prefix "${prefix}")` : ""}`;
  const migrateNow = () => {
    try {
      return migrateSqlite(db, prefix);
    } catch (error) {
      throw new ConfigurationError(`Cannot migrate the SQLite database${where}: ${(error as Error).message}`, { cause: error });
    }
  };
  if (options.migrate !== false) {
    try {
      migrateNow();
    } catch (error) {
      close();
      throw error;
    }
  }
  // With `migrate: false` the version check runs on first use (or `ready()`), so that a storage
  // opened on an old file can still be handed to `migrate()`.
  let checked: Promise<void> | undefined = options.migrate !== false ? Promise.resolve() : undefined;
  const check = async () => {
    let missing: string[];
    try {
      missing = pendingSqliteMigrations(db, prefix);
    } catch (error) {
      throw new ConfigurationError(`Cannot read the SQLite database${where}: ${(error as Error).message}`, { cause: error });
    }
    if (missing.length) {
      throw new ConfigurationError(
        `The SQLite database${where} is on an older schema version: missing migration${missing.length > 1 ? "s" : ""} ${missing.join(", ")}. ` +
          "Apply them with `creatorsearch migrate --db <file>` or `await migrate(storage)`, or open the storage with `migrate: true`.",
      );
    }
  };
  const ready = () =>
    (checked ??= check().catch((error: unknown) => {
      checked = undefined;
      throw error;
    }));
  const migrate = async () => {
    const applied = migrateNow();
    checked = Promise.resolve();
    return applied;
  };
  const adapter = createSqliteAdapter(db, tables, close, rawPages);
  if (startCheckpointer) {
    // The checkpointer starts with the first page a step stores: a storage that only reads (a
    // dashboard, a CLI listing) never starts a thread.
    const start = startCheckpointer;
    const savePage = adapter.savePage;
    adapter.savePage = (page) => {
      start();
      return savePage(page);
    };
  }
  return Object.assign(classifyFaults(gate(adapter, ready), "SQLite", sqliteFault), {
    id: "sqlite" as const,
    db,
    tables,
    tablePrefix: prefix,
    ready,
    migrate,
    pendingMigrations: async () => pendingSqliteMigrations(db, prefix),
  });
}

/**
 * Applies the shipped migrations the storage's file lacks (for its table prefix), for
 * deployments that migrate in a separate step; resolves with the tags applied (`[]` when up to
 * date).
 *
 * @example
 * ```ts
 * import { migrate, sqliteStorage } from "@creatorsearch/drizzle/sqlite";
 *
 * const storage = sqliteStorage({ file: "creatorsearch.db" }); // migrates on open by default
 * console.log(await migrate(storage)); // []: already up to date
 * await storage.close();
 * ```
 */
export function migrate(storage: SqliteStorage): Promise<string[]> {
  return storage.migrate();
}
