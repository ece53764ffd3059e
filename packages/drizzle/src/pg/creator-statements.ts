import { getTableConfig } from "drizzle-orm/pg-core";
import type { CreatorRow } from "../shared/rows.js";
import { pageKeysJson, rowsHint } from "./json-rows.js";
import type { PgTables } from "./schema.js";

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

/** The largest insert statement, in rows; a page is split into chunks of powers of two up to it. */
const MAX_CHUNK = 64;

/** `[64, 32, 4]` for 100: at most log2(MAX_CHUNK) + 1 statement shapes exist, whatever the pages. */
export function chunkSizes(rows: number): number[] {
  const sizes: number[] = [];
  let left = rows;
  for (let size = MAX_CHUNK; left > 0; size = Math.max(1, size >> 1)) {
    while (left >= size) {
      sizes.push(size);
      left -= size;
    }
  }
  return sizes;
}

const textCache = new Map<string, string>();

/** The insert text for `rows` rows into `table`, built once per table and size. */
function insertText(table: string, rows: number): string {
  const key = `${table}\u0000${rows}`;
  let text = textCache.get(key);
  if (!text) {
    const tuples = Array.from({ length: rows }, (_, r) => `(${COLUMNS.map((_, i) => `$${r * COLUMNS.length + i + 1}`).join(", ")})`);
    text = `insert into ${table} (${COLUMNS.map((c) => `"${c}"`).join(", ")}) values ${tuples.join(", ")}
      on conflict ("job_id", "platform", "creator_id") do nothing returning "platform", "creator_id"`;
    textCache.set(key, text);
  }
  return text;
}

/**
 * The statements that insert creator rows as new, in order (so `seq` follows it), skipping each
 * one the job already has (the unique key `(job_id, platform, creator_id)`); each returns the
 * `platform` and `creator_id` of the rows it inserted. A drizzle multi-row insert of 100 creators
 * is 1,100 parameters: drizzle spends longer building it, and Postgres planning it afresh, than
 * Postgres spends writing the rows. Here the rows go in chunks of 64, 32, ... 1 rows, so a
 * handful of statement texts exist whatever the page sizes, each prepared once per connection.
 * Values go as text (JSON as text, timestamps as ISO strings), cast by Postgres to the columns.
 */
export function insertNewCreatorStatements(tables: PgTables, rows: Omit<CreatorRow, "seq">[]): { text: string; params: unknown[] }[] {
  const table = creatorsTableName(tables);
  const statements: { text: string; params: unknown[] }[] = [];
  let at = 0;
  for (const size of chunkSizes(rows.length)) {
    statements.push({ text: insertText(table, size), params: rows.slice(at, at + size).flatMap(valuesOf) });
    at += size;
  }
  return statements;
}

/** The creators table's name, schema-qualified and quoted, for the statement texts here. */
function creatorsTableName(tables: PgTables): string {
  // getTableConfig builds the table's whole config (columns, indexes, keys): once per table.
  let quoted = tableNames.get(tables.creators);
  if (quoted === undefined) {
    const { name, schema } = getTableConfig(tables.creators);
    quoted = `${schema ? `"${schema.replace(/"/g, '""')}".` : ""}"${name.replace(/"/g, '""')}"`;
    tableNames.set(tables.creators, quoted);
  }
  return quoted;
}
const tableNames = new WeakMap<PgTables["creators"], string>();

/**
 * The statement that reads the rows a job already has among `creators` (platform and id each),
 * as the merge needs them: one unique-index lookup per creator, whatever the job's size. The
 * keys go as one JSON parameter, so one prepared text serves every page. Sent before a page's
 * inserts under the job's row lock, it sees exactly the creators those inserts will skip.
 */
export function storedCreatorsStatement(tables: PgTables, jobId: string, creators: { platform: string; creatorId: string }[]): { text: string; params: unknown[] } {
  const table = creatorsTableName(tables);
  return {
    // Each key on its own (a lateral subquery kept apart by `offset 0`): with `in (select ...)`
    // and a growing job's statistics lagging, the planner hashes the page and reads the whole job.
    text: `select c."seq", c."platform", c."creator_id", c."data", c."first_seen_at", c."excluded"
      from jsonb_to_recordset($2::jsonb) as k("platform" text, "creator_id" text),
      lateral (select * from ${table} as c where c."job_id" = $1 and c."platform" = k."platform" and c."creator_id" = k."creator_id" offset 0) as c`,
    params: [jobId, pageKeysJson(creators.map(({ platform, creatorId }) => ({ platform, id: creatorId })))],
  };
}

/**
 * The statement that rewrites stored creator rows in place (their `seq`, their place in the
 * results, stays): one statement for the whole page, the rows as one JSON parameter, so a page
 * with many known creators costs one statement, not one per creator; each row found by `seq`
 * through the primary key (see `rowsHint`).
 */
export function updateCreatorsStatement(tables: PgTables, rows: { seq: number; columns: Omit<CreatorRow, "seq"> }[]): { text: string; params: unknown[] } {
  const table = creatorsTableName(tables);
  const json = rows.map(({ seq, columns: c }) => ({
    seq,
    handle: c.handle,
    followers: c.followers,
    engagement_by_followers: c.engagementByFollowers,
    verified: c.verified,
    matched_keywords: c.matchedKeywords,
    data: c.data,
    first_seen_at: c.firstSeenAt.toISOString(),
    excluded: c.excluded,
  }));
  return {
    text: `update ${table} as c set "handle" = v."handle", "followers" = v."followers",
      "engagement_by_followers" = v."engagement_by_followers", "verified" = v."verified",
      "matched_keywords" = v."matched_keywords", "data" = v."data", "first_seen_at" = v."first_seen_at", "excluded" = v."excluded"
      from (select * from jsonb_to_recordset($1::jsonb) as v("seq" bigint, "handle" text, "followers" bigint, "engagement_by_followers" double precision,
        "verified" boolean, "matched_keywords" jsonb, "data" jsonb, "first_seen_at" timestamptz, "excluded" boolean) ${rowsHint(rows.length)}) as v
      where c."seq" = v."seq"`,
    params: [JSON.stringify(json)],
  };
}

/** The statement that deletes a stored creator row (a readmitted one is then inserted again, with a new `seq`). */
export function deleteCreatorStatement(tables: PgTables, seq: number): { text: string; params: unknown[] } {
  return { text: `delete from ${creatorsTableName(tables)} where "seq" = $1`, params: [seq] };
}
