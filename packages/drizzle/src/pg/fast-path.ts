import { getTableColumns } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { type ReservablePool, type ReservedConnection, reserveConnection } from "./reserve.js";
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

/** postgres.js's pool (what `drizzle(postgres(url))` holds): connections can be reserved. */
interface PostgresJsPool extends PostgresJsClient, ReservablePool<PostgresJsClient & ReservedConnection> {}

/** drizzle's query logger (`drizzle(client, { logger })`), which the statements sent here report to as well. */
interface QueryLogger {
  logQuery(query: string, params: unknown[]): void;
}

/** A statement to send: its text and parameters. */
export type Statement = { text: string; params: unknown[] };

/** The pool under `db` when it runs on postgres.js, with `db`'s query logger; else `null`. */
export function postgresJsPoolOf(db: PostgresDatabase): { pool: PostgresJsPool; logger?: QueryLogger } | null {
  const client = postgresJsClientOf(db) as Partial<PostgresJsPool> | null;
  if (typeof client?.reserve !== "function") return null;
  const logger = (db as unknown as { _?: { session?: { logger?: QueryLogger } } })._?.session?.logger;
  return { pool: client as PostgresJsPool, ...(logger ? { logger } : {}) };
}

/** A transaction whose statements go in pipelined batches; see {@link inPipelinedTransaction}. */
export interface PipelinedTransaction {
  /** Sends `statements` in one round trip and resolves with their rows; `commit` ends the transaction in the same trip. */
  send(statements: Statement[], options?: { commit?: boolean }): Promise<Record<string, unknown>[][]>;
}

const BEGIN: Statement = { text: "begin", params: [] };
const COMMIT: Statement = { text: "commit", params: [] };

/**
 * Runs `work` in a transaction on a reserved postgres.js connection: `begin` goes in the same
 * round trip as the first statements, and `commit` in the last one's when `work` asks (postgres.js's
 * own `begin()` waits for each on its own). A throw rolls back; a transaction left open by
 * `work` is committed after it.
 *
 * A connection the server dropped (a restart, a failover) is left alone: not a byte more is
 * written to it and it is not released. postgres.js 3 keeps bytes written to a connection that
 * closes before they are flushed, and crashes the process when it flushes them later
 * (`TypeError: Cannot read properties of null (reading 'write')`, porsager/postgres#1154,
 * #1208); a released dead connection would also go back to the pool as if open. Unreleased, it
 * stays in the pool's closed list, and the pool connects it again when it needs it. (Its own
 * `begin()` sends a `rollback` after any error, so it is not safe from this either.)
 */
export async function inPipelinedTransaction<T>(
  { pool, logger }: { pool: PostgresJsPool; logger?: QueryLogger },
  work: (tx: PipelinedTransaction) => Promise<T>,
): Promise<T> {
  const connection = await reserveConnection(pool);
  // "ending": a batch with `commit` was sent; whatever happened to it, the transaction is over
  // (Postgres runs a `commit` after a failed statement as a rollback).
  let state = "idle" as "idle" | "open" | "ending" | "committed";
  const tx: PipelinedTransaction = {
    async send(statements, { commit = false } = {}) {
      const opening = state === "idle";
      const batch = [...(opening ? [BEGIN] : []), ...statements, ...(commit ? [COMMIT] : [])];
      for (const { text, params } of batch) logger?.logQuery(text, params);
      if (commit) state = "ending";
      const rows = await sendInOrder(connection, batch);
      state = commit ? "committed" : "open";
      return rows.slice(opening ? 1 : 0, commit ? -1 : undefined);
    },
  };
  let dropped = false;
  try {
    const result = await work(tx);
    if (state === "open") await connection.unsafe("commit", []);
    return result;
  } catch (error) {
    dropped = connectionDropped(error);
    // After a failed statement Postgres has aborted the transaction: end it before the
    // connection goes back to the pool.
    if (!dropped && (state === "idle" || state === "open")) {
      await Promise.resolve(connection.unsafe("rollback", [])).catch((rollbackError: unknown) => {
        dropped = connectionDropped(rollbackError);
      });
    }
    throw error;
  } finally {
    if (!dropped) connection.release();
  }
}

/**
 * SQLSTATEs and postgres.js / socket codes after which the server has closed (or is closing)
 * the connection: nothing may be written to it any more.
 */
const DROPPED = new Set(["57P01", "57P02", "57P03", "57P05", "CONNECTION_CLOSED", "CONNECTION_DESTROYED", "CONNECTION_ENDED", "CONNECT_TIMEOUT", "ECONNRESET", "EPIPE", "ETIMEDOUT"]);

/** True when `error` says the connection it ran on is gone (or going), see {@link inPipelinedTransaction}. */
export function connectionDropped(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && (DROPPED.has(code) || code.startsWith("08"));
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
export function sendInOrder(client: PostgresJsClient, statements: Statement[]): Promise<Record<string, unknown>[][]> {
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
