import { getTableConfig } from "drizzle-orm/pg-core";
import type { CreatorRow } from "../shared/rows.js";
import type { PgTables } from "./schema.js";
import type { PostgresDatabase } from "./storage.js";

/** What the pg-core drivers we know (postgres.js, node-postgres, PGlite) expose to run SQL text. */
type RawClient = { unsafe?: (text: string, params: unknown[]) => Promise<unknown>; query?: (text: string, params: unknown[]) => Promise<unknown> };

const COLUMNS = [
  "job_id",
  "platform",
  "creator_id",
  "handle",
  "followers",
  "engagement_by_followers",
  "verified",
  "matched_keywords",
  "data",
  "first_seen_at",
  "excluded",
] as const;

const valuesOf = (r: Omit<CreatorRow, "seq">): unknown[] => [
  r.jobId,
  r.platform,
  r.creatorId,
  r.handle,
  r.followers,
  r.engagementByFollowers,
  r.verified,
  JSON.stringify(r.matchedKeywords),
  JSON.stringify(r.data),
  r.firstSeenAt.toISOString(),
  r.excluded,
];

/**
 * Inserts a page's new creator rows with one multi-row statement sent as SQL text to the
 * transaction's own driver connection. drizzle's insert builder spends longer building a
 * 100-row, 1,100-parameter insert than Postgres spends running it; here the text is a string
 * join and the values go as the driver sends text (JSON as text, timestamps as ISO strings),
 * which Postgres casts to the columns' types. Rows keep their order, so `seq` follows the page.
 * Falls back to drizzle for a driver it does not know.
 */
export async function insertCreatorRows(tx: PostgresDatabase, tables: PgTables, rows: Omit<CreatorRow, "seq">[]): Promise<void> {
  const client = (tx as unknown as { _?: { session?: { client?: RawClient } } })._?.session?.client;
  const run = client?.unsafe?.bind(client) ?? client?.query?.bind(client);
  if (!run) {
    await tx.insert(tables.creators).values(rows);
    return;
  }
  const { name, schema } = getTableConfig(tables.creators);
  const table = `${schema ? `"${schema.replace(/"/g, '""')}".` : ""}"${name}"`;
  const params: unknown[] = [];
  const tuples = rows.map((row) => {
    const start = params.length;
    params.push(...valuesOf(row));
    return `(${COLUMNS.map((_, i) => `$${start + i + 1}`).join(", ")})`;
  });
  await run(`insert into ${table} (${COLUMNS.map((c) => `"${c}"`).join(", ")}) values ${tuples.join(", ")}`, params);
}
