import { getTableColumns } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { PostgresDatabase } from "./storage.js";

/*
 * The page commit's fast path on postgres.js (the driver `postgresStorage({ url })` opens): its
 * statements prepared once per connection and pipelined in one round trip. Other drivers run the
 * same queries through drizzle, one after the other.
 */

/** A postgres.js connection (what drizzle's postgres-js driver runs a transaction on). */
interface PostgresJsClient {
  unsafe(text: string, params: unknown[], options?: { prepare?: boolean }): PromiseLike<Record<string, unknown>[]> & { execute(): unknown };
}

/**
 * The transaction's postgres.js connection, or `null` on another driver (node-postgres, PGlite):
 * the statements a page commit sends through it are prepared once per connection and pipelined.
 */
export function postgresJsClientOf(tx: PostgresDatabase): PostgresJsClient | null {
  const client = (tx as unknown as { _?: { session?: { client?: Partial<PostgresJsClient> } } })._?.session?.client;
  // node-postgres and PGlite clients have `query()`, not `unsafe()`.
  return typeof client?.unsafe === "function" ? (client as PostgresJsClient) : null;
}

/**
 * Sends statements on a postgres.js connection now, in this order, each prepared (postgres.js
 * keeps one prepared statement per text and connection), and resolves with their rows.
 */
export function sendInOrder(client: PostgresJsClient, statements: { text: string; params: unknown[] }[]): Promise<Record<string, unknown>[][]> {
  return Promise.all(
    statements.map(({ text, params }) => {
      const query = client.unsafe(text, params, { prepare: true });
      query.execute(); // postgres.js queries are lazy: send now, so they run in this order
      return query;
    }),
  );
}

/** Maps a row as postgres.js returns it under drizzle (column names, driver values) to the table's model. */
export function mapRow<T extends PgTable>(table: T, row: Record<string, unknown>): T["$inferSelect"] {
  const out: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const value = row[column.name];
    out[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return out as T["$inferSelect"];
}
