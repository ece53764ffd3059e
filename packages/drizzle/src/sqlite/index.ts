/**
 * `@creatorsearch/drizzle/sqlite`: storage for `@creatorsearch/core` in a SQLite file, through
 * drizzle-orm and better-sqlite3. The embedded default: no server, one file.
 *
 * @packageDocumentation
 */
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { ConfigurationError, type StorageAdapter } from "@creatorsearch/core";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { migrationsFolder } from "../shared/migrations-folder.js";
import { sqliteSchema } from "./schema.js";
import { type SqliteDatabase, createSqliteAdapter } from "./storage.js";

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
  /** Apply the shipped migrations when opening (default `true`). */
  migrate?: boolean;
  /** How long a writer waits for another process's lock before failing (default 5000 ms). */
  busyTimeoutMs?: number;
};

/** A SQLite {@link StorageAdapter}, plus the drizzle database it runs on. */
export interface SqliteStorage extends StorageAdapter {
  readonly id: "sqlite";
  /** The drizzle database (for your own queries, or to inspect rows in tests). */
  readonly db: SqliteDatabase;
}

/**
 * Opens SQLite storage: `sqliteStorage({ file: "creatorsearch.db" })`. The file runs in WAL
 * mode with a busy timeout, so a CLI and a worker can share it, and the shipped migrations are
 * applied on open. Throws `ConfigurationError` when the file cannot be opened or migrated.
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
 */
export function sqliteStorage(options: SqliteStorageOptions): SqliteStorage {
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  let db: SqliteDatabase;
  let close: () => void;
  if (options.db) {
    db = options.db;
    close = () => {};
  } else {
    const file = options.file === ":memory:" ? ":memory:" : resolve(options.file);
    let sqlite: Database.Database;
    try {
      if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
      sqlite = new Database(file, { timeout: busyTimeoutMs });
      sqlite.pragma("journal_mode = WAL");
      sqlite.pragma("synchronous = NORMAL");
      sqlite.pragma("foreign_keys = ON");
    } catch (error) {
      throw new ConfigurationError(`Cannot open the SQLite database ${file}: ${(error as Error).message}`, { cause: error });
    }
    db = drizzle(sqlite, { schema: sqliteSchema });
    close = () => {
      if (sqlite.open) sqlite.close();
    };
  }
  if (options.migrate !== false) {
    try {
      migrate(db, { migrationsFolder: migrationsFolder("sqlite") });
    } catch (error) {
      close();
      throw new ConfigurationError(`Cannot migrate the SQLite database: ${(error as Error).message}`, { cause: error });
    }
  }
  return Object.assign(createSqliteAdapter(db, close), { id: "sqlite" as const, db });
}
