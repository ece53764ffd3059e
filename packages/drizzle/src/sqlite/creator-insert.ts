import { eq, getTableName } from "drizzle-orm";
import type { CreatorRow } from "../shared/rows.js";
import { betterSqlite3ClientOf as clientOf } from "./better-sqlite3-db.js";
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
  const client = clientOf(db);
  if (!client) return (row) => void db.insert(creators).values(row).run();
  const statement = client.prepare(
    `insert into "${getTableName(creators)}" ("job_id", "platform", "creator_id", "handle", "followers", "engagement_by_followers", "verified", "matched_keywords", "data", "first_seen_at", "excluded", "known")
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
      row.known ? 1 : 0,
    );
  };
}

/**
 * Rewrites a merged creator's row in place (same `seq`) with one statement prepared once per
 * connection, for the same reason as {@link prepareCreatorInsert}: pages repeat creators the job
 * has, and building a drizzle update per merged creator cost more than running it.
 */
export function prepareCreatorUpdate(db: SqliteDatabase, { creators }: SqliteTables): (seq: number, row: Omit<CreatorRow, "seq">) => void {
  const client = clientOf(db);
  // Being known is decided once, when the job first admits the creator: never rewritten here.
  if (!client) return (seq, { known: _known, ...row }) => void db.update(creators).set(row).where(eq(creators.seq, seq)).run();
  const statement = client.prepare(
    `update "${getTableName(creators)}" set "handle" = ?, "followers" = ?, "engagement_by_followers" = ?, "verified" = ?,
       "matched_keywords" = ?, "data" = ?, "excluded" = ? where "seq" = ?`,
  );
  return (seq, row) => {
    statement.run(
      row.handle,
      row.followers,
      row.engagementByFollowers,
      row.verified === null ? null : row.verified ? 1 : 0,
      JSON.stringify(row.matchedKeywords),
      JSON.stringify(row.data),
      row.excluded ? 1 : 0,
      seq,
    );
  };
}
