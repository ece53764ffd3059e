import type Database from "better-sqlite3";
import { getTableName } from "drizzle-orm";
import type { CreatorRow } from "../shared/rows.js";
import type { SqliteTables } from "./schema.js";
import type { SqliteDatabase } from "./storage.js";

/**
 * Inserts one creator row with a single statement prepared once per connection. A page's new
 * creators are its bulk write: building a drizzle multi-row insert (and having SQLite compile a
 * fresh 1,000-parameter statement) cost several times the insert itself, while better-sqlite3
 * runs a prepared statement per row at close to raw speed. Values are mapped as the schema's
 * column modes do (JSON text, epoch milliseconds, 0/1 booleans), into the (prefixed) table of
 * `tables`.
 */
export function prepareCreatorInsert(db: SqliteDatabase, { creators }: SqliteTables): (row: Omit<CreatorRow, "seq">) => void {
  // drizzle databases made by `drizzle(sqlite)` carry their better-sqlite3 connection.
  const client = (db as unknown as { $client?: Database.Database }).$client;
  if (!client) return (row) => void db.insert(creators).values(row).run();
  const statement = client.prepare(
    `insert into "${getTableName(creators)}" ("job_id", "platform", "creator_id", "handle", "followers", "engagement_by_followers", "verified", "matched_keywords", "data", "first_seen_at", "excluded")
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  return (row) => {
    statement.run(
      row.jobId,
      row.platform,
      row.creatorId,
      row.handle,
      row.followers,
      row.engagementByFollowers,
      row.verified === null ? null : row.verified ? 1 : 0,
      JSON.stringify(row.matchedKeywords),
      JSON.stringify(row.data),
      row.firstSeenAt.getTime(),
      row.excluded ? 1 : 0,
    );
  };
}
