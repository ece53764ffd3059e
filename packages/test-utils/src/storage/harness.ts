import type { RawPageRetention, StorageAdapter } from "@creatorsearch/core";

/** The tables of DESIGN.md, by their SQL names (an adapter's prefix or schema is its own business). */
export type StorageTable = "campaigns" | "search_jobs" | "search_chains" | "search_pages" | "creators";

/** Column (snake_case, as in DESIGN.md) -> value; rows match when every column equals its value. */
export type RawWhere = Record<string, string | number>;

/**
 * The side channel of a harness: reads and deletes rows in the backing store without going
 * through the adapter, so the suite checks what was really written (and that counters are
 * recomputed from rows rather than added up). Values come as the driver returns them.
 */
export interface RawStorage {
  /** Rows of `table` matching `where`. */
  select(table: StorageTable, where?: RawWhere): Promise<Record<string, unknown>[]>;
  /** Deletes the rows of `table` matching `where`; resolves with how many went. */
  delete(table: StorageTable, where: RawWhere): Promise<number>;
}

/** One fresh, empty backend opened for one test. */
export interface OpenedStorage {
  /** The adapter under test. The suite closes it after the test. */
  storage: StorageAdapter;
  /**
   * Opens another adapter on the same data over a connection of its own (another pool, another
   * file handle), as a second worker process would. The suite closes what it opens. Omit it
   * for single-connection backends (memory, PGlite): races then run on `storage` itself.
   */
  connect?(): StorageAdapter | Promise<StorageAdapter>;
  /** Raw access to the backing store; tests that need it must be disabled without it. */
  raw?: RawStorage;
  /** Runs after `storage` (and every connection) closed: delete files, drop schemas. */
  dispose?(): void | Promise<void>;
}

/** Storage options the suite varies: pass them to the adapter's factory. */
export interface StorageOpenOptions {
  /** The adapter's raw-page retention; absent: its default. */
  rawPages?: RawPageRetention;
}

/** How the suite gets backends of the adapter under test. */
export interface StorageHarness<Name extends string = string> {
  /**
   * Opens a fresh, empty backend; called before each test, with `options` by the checks that
   * vary them (the retention checks open one per setting). `connect` must use them too.
   */
  open(options?: StorageOpenOptions): OpenedStorage | Promise<OpenedStorage>;
  /**
   * Tests to disable, by name, each with the reason (shown as the skipped test's title). An
   * unknown name fails the suite, so a renamed test cannot slip through.
   */
  disable?: Partial<Record<Name, string>>;
}
