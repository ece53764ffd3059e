import type { RawStorage, RawWhere, StorageTable } from "./harness.js";

/** What {@link sqlRawStorage} needs from a SQL driver. */
export interface SqlRawOptions {
  /** Runs a query with positional `params` and resolves with its rows. */
  query(text: string, params: unknown[]): Promise<Record<string, unknown>[]>;
  /** Runs a statement that changes rows, resolving with how many it changed. */
  run(text: string, params: unknown[]): Promise<number>;
  /** Placeholder of the `i`-th parameter (1-based): `$1` for Postgres, `?` for SQLite. */
  placeholder(i: number): string;
  /** Qualified, quoted name of a table, e.g. `"cs"."creators"` with a schema or `"app_creators"` with a prefix. */
  table(name: StorageTable): string;
}

const COLUMN = /^[a-z_][a-z0-9_]*$/;

/**
 * A {@link RawStorage} over any SQL driver: plain `select *` / `delete` with equality filters,
 * for harnesses of SQL adapters.
 */
export function sqlRawStorage(options: SqlRawOptions): RawStorage {
  const where = (filter: RawWhere = {}) => {
    const entries = Object.entries(filter);
    for (const [column] of entries) if (!COLUMN.test(column)) throw new Error(`Invalid column name ${JSON.stringify(column)}`);
    const clause = entries.map(([column], i) => `"${column}" = ${options.placeholder(i + 1)}`).join(" and ");
    return { clause: clause ? ` where ${clause}` : "", params: entries.map(([, v]) => v) };
  };
  return {
    async select(table, filter) {
      const { clause, params } = where(filter);
      return options.query(`select * from ${options.table(table)}${clause}`, params);
    },
    async delete(table, filter) {
      const { clause, params } = where(filter);
      return options.run(`delete from ${options.table(table)}${clause}`, params);
    },
  };
}
