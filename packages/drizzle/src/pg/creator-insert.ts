import { type SQL, sql } from "drizzle-orm";
import type { CreatorRow } from "../shared/rows.js";
import type { PgTables } from "./schema.js";

/** The creator columns a page insert writes, with their SQL types (`seq` comes from the identity). */
const COLUMNS = [
  ["job_id", "text"],
  ["platform", "text"],
  ["creator_id", "text"],
  ["handle", "text"],
  ["followers", "bigint"],
  ["engagement_by_followers", "double precision"],
  ["verified", "boolean"],
  ["matched_keywords", "jsonb"],
  ["data", "jsonb"],
  ["first_seen_at", "timestamptz"],
  ["excluded", "boolean"],
] as const;

const columnList = sql.raw(COLUMNS.map(([name]) => `"${name}"`).join(", "));
const recordType = sql.raw(COLUMNS.map(([name, type]) => `"${name}" ${type}`).join(", "));

/**
 * The insert of a page's new creator rows (returning their `excluded`), as one statement whose
 * only parameter is the page as one JSON array, unpacked by `jsonb_to_recordset`. A drizzle multi-row insert of 100 creators is
 * 1,100 parameters: drizzle spends longer building it, and Postgres planning it, than Postgres
 * spends writing the rows. Here the statement text never changes, whatever the page size. Rows
 * are inserted in page order (`with ordinality`), so `seq` follows the page.
 */
export function insertNewCreatorRows(tables: PgTables, rows: Omit<CreatorRow, "seq">[]): SQL {
  const page = JSON.stringify(
    rows.map((r) => ({
      job_id: r.jobId,
      platform: r.platform,
      creator_id: r.creatorId,
      handle: r.handle,
      followers: r.followers,
      engagement_by_followers: r.engagementByFollowers,
      verified: r.verified,
      matched_keywords: r.matchedKeywords,
      data: r.data,
      first_seen_at: r.firstSeenAt.toISOString(),
      excluded: r.excluded,
    })),
  );
  return sql`insert into ${tables.creators} (${columnList})
    select ${columnList} from rows from (jsonb_to_recordset(${page}::text::jsonb) as (${recordType})) with ordinality as page
    order by page.ordinality
    returning "excluded"`;
}
