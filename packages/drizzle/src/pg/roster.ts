import type { ListRosterOptions, RosterKeyMatch, RosterKeyQuery, RosterPatch, StoredRosterEntry } from "@creatorsearch/core";
import { type SQL, and, asc, eq, fillPlaceholders, gt, inArray, sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { rosterEntryId } from "@creatorsearch/core";
import { type RosterWrites, type StoredRosterRow, type StoredSource, idsByPlatform, keysAsked, listValues, toStoredRosterEntry, toStoredRosterEntryFromDriver, writtenKeys } from "../shared/roster-plan.js";
import { definedOnly } from "../shared/rows.js";
import { pageKeysJson, rowsHint } from "./json-rows.js";
import { type Statement, postgresJsClientOf } from "./fast-path.js";
import type { PgTables } from "./schema.js";
import type { PostgresDatabase } from "./storage.js";

const dialect = new PgDialect();
/** A drizzle SQL object as text and parameters, for the pipelined path (fast-path.ts). */
export const statementOfSql = (query: SQL): Statement => {
  const { sql: text, params } = dialect.sqlToQuery(query);
  return { text, params };
};
/** `execute`'s rows: postgres.js answers an array, node-postgres and PGlite `{ rows }`. */
export const rowsOfResult = <T>(result: unknown): T[] => (Array.isArray(result) ? result : ((result as { rows?: T[] }).rows ?? [])) as T[];

/** A stored roster row as the commit's read returns it (driver values, column names). */
export type RawRosterRow = { seq: string | number; platform: string; creator_id: string; data: unknown; found_by: unknown; first_job_id: string };
const jsonOf = (value: unknown): unknown => (typeof value === "string" ? JSON.parse(value) : value);
export const toStoredRosterRow = (r: RawRosterRow): StoredRosterRow & { platform: string } => ({
  seq: Number(r.seq),
  platform: r.platform,
  creatorId: r.creator_id,
  data: jsonOf(r.data) as Record<string, unknown>,
  foundBy: jsonOf(r.found_by) as StoredSource[],
  firstJobId: r.first_job_id,
});

/**
 * The campaign roster on Postgres. A page commit takes its campaign's row lock (after the job's:
 * lock order is job, then campaign), so the commits of one campaign's jobs write its roster one
 * after the other: two jobs that find a creator at the same moment add it once, and a job reads
 * exactly the entries its writes will meet. Team updates touch other columns, and Postgres
 * applies a commit's update to their latest version.
 */
export function pgRoster(tables: PgTables) {
  const { campaigns, campaignCreators: entries, campaignCreatorKeys: keys, creators, searchJobs } = tables;
  const campaignOfJob = (jobId: string) => sql`(select ${searchJobs.campaignId} from ${searchJobs} where ${searchJobs.id} = ${jobId})`;

  const toEntries = (rows: (typeof entries.$inferSelect)[]): StoredRosterEntry[] => rows.map((row) => toStoredRosterEntry(row));

  const ofIds = (userId: string, campaignId: string, ids: readonly string[]) => {
    const groups = [...idsByPlatform(ids)];
    if (!groups.length) return null;
    return and(
      eq(entries.campaignId, campaignId),
      eq(entries.userId, userId),
      sql`(${sql.join(
        groups.map(([platform, platformIds]) => and(eq(entries.platform, platform), inArray(entries.creatorId, platformIds))!),
        sql` or `,
      )})`,
    );
  };

  /**
   * A roster page's query. `value(name)` gives each filter's value (or a placeholder), and
   * `undefined` for a filter not asked for; see {@link listValues} for the names.
   */
  const listQuery = (db: PostgresDatabase, value: (name: string) => unknown) => {
    const has = (name: string) => value(name) !== undefined;
    return db
      .select()
      .from(entries)
      .where(
        and(
          eq(entries.campaignId, value("campaignId") as string),
          eq(entries.userId, value("userId") as string),
          gt(entries.seq, value("after") as number),
          has("status") ? eq(entries.status, value("status") as string) : undefined,
          has("platform") ? eq(entries.platform, value("platform") as string) : undefined,
          has("tag") ? sql`${entries.tags} @> jsonb_build_array(${value("tag")}::text)` : undefined,
          // strpos, not like: % and _ in the text are plain characters.
          has("q") ? sql`(strpos(lower(${entries.handle}), ${value("q")}) > 0 or strpos(lower(coalesce(${entries.name}, '')), ${value("q")}) > 0)` : undefined,
          has("handles") ? sql`lower(${entries.handle}) in (select jsonb_array_elements_text(${value("handles")}::jsonb))` : undefined,
        ),
      )
      .orderBy(asc(entries.seq))
      .limit(value("limit") as number);
  };
  /** Roster page statements by the filters they take (at most 32), built once. */
  const listTemplates = new Map<string, { sql: string; params: unknown[] }>();

  return {
    /** The job's campaign row lock: first roster statement of a commit. */
    lockCampaign: (jobId: string): SQL => sql`select ${campaigns.id} from ${campaigns} where ${campaigns.id} = ${campaignOfJob(jobId)} for no key update`,

    /**
     * The campaign's entries of the page's creators, read under the campaign lock: each key looked
     * up on its own (a lateral subquery kept apart by `offset 0`). With `in (select ...)` and a
     * campaign's statistics lagging behind its growth, the planner hashed the page and read every
     * entry of the campaign (4 ms a commit at 16,000 entries).
     */
    readEntries: (jobId: string, page: readonly { platform: string; id: string }[]): SQL =>
      sql`select e."seq", e."platform", e."creator_id", e."data", e."found_by", e."first_job_id"
          from jsonb_to_recordset(${pageKeysJson(page)}::jsonb) as k("platform" text, "creator_id" text),
          lateral (select * from ${entries} as e where e."campaign_id" = ${campaignOfJob(jobId)} and e."platform" = k."platform" and e."creator_id" = k."creator_id" offset 0) as e`,

    /** The writes of planned roster changes, and the update that marks the job's known creators. */
    writes(jobId: string, campaignId: string, planned: RosterWrites[]): SQL[] {
      const statements: SQL[] = [];
      const inserts = planned.flatMap((w) => w.insert);
      if (inserts.length) {
        const json = inserts.map(({ row, keys: k }, ord) => ({
          ord,
          user_id: row.userId,
          platform: row.platform,
          creator_id: row.creatorId,
          handle: row.handle,
          name: row.name,
          followers: row.followers,
          data: row.data,
          found_by: row.foundBy,
          first_job_id: row.firstJobId,
          first_seen_at: row.firstSeenAt.toISOString(),
          keys: k,
        }));
        // New entries take their seq in page order; their keys go in the same statement.
        statements.push(sql`with v as (
            select * from jsonb_to_recordset(${JSON.stringify(json)}::jsonb) as v("ord" int, "user_id" text, "platform" text, "creator_id" text,
              "handle" text, "name" text, "followers" bigint, "data" jsonb, "found_by" jsonb, "first_job_id" text, "first_seen_at" timestamptz, "keys" jsonb)
          ), added as (
            insert into ${entries} ("campaign_id", "user_id", "platform", "creator_id", "handle", "name", "followers", "data", "status", "notes", "tags", "found_by", "first_job_id", "linked", "first_seen_at", "updated_at")
            select ${campaignId}, "user_id", "platform", "creator_id", "handle", "name", "followers", "data", 'new', null, '[]'::jsonb, "found_by", "first_job_id", false, "first_seen_at", "first_seen_at"
            from v order by "ord"
            returning "seq", "platform", "creator_id"
          )
          insert into ${keys} ("campaign_id", "key", "entry_seq", "kind")
          select ${campaignId}, k."key", added."seq", k."kind"
          from added join v on v."platform" = added."platform" and v."creator_id" = added."creator_id",
            jsonb_to_recordset(v."keys") as k("key" text, "kind" text)
          on conflict do nothing`);
      }
      const updates = planned.flatMap((w) => w.update);
      if (updates.length) {
        const json = updates.map(({ seq, row }) => ({
          seq,
          handle: row.handle,
          name: row.name,
          followers: row.followers,
          data: row.data,
          found_by: row.foundBy,
          updated_at: row.updatedAt.toISOString(),
        }));
        statements.push(sql`update ${entries} as e set "handle" = v."handle", "name" = v."name", "followers" = v."followers", "data" = v."data", "found_by" = v."found_by", "updated_at" = v."updated_at"
          from (select * from jsonb_to_recordset(${JSON.stringify(json)}::jsonb) as v("seq" bigint, "handle" text, "name" text, "followers" bigint, "data" jsonb, "found_by" jsonb, "updated_at" timestamptz)
            ${sql.raw(rowsHint(json.length))}) as v
          where e."seq" = v."seq"`);
        const rekeyed = updates.filter((u) => u.keys);
        if (rekeyed.length) {
          const seqs = JSON.stringify(rekeyed.map((u) => u.seq));
          const newKeys = JSON.stringify(rekeyed.flatMap((u) => u.keys!.map((k) => ({ seq: u.seq, key: k.key, kind: k.kind }))));
          // `= any(array(...))`: the seqs are an index condition, whatever the statistics say.
          statements.push(sql`delete from ${keys} where "entry_seq" = any(array(select value::bigint from jsonb_array_elements_text(${seqs}::jsonb)))`);
          statements.push(sql`insert into ${keys} ("campaign_id", "key", "entry_seq", "kind")
            select ${campaignId}, k."key", k."seq", k."kind" from jsonb_to_recordset(${newKeys}::jsonb) as k("seq" bigint, "key" text, "kind" text)
            on conflict do nothing`);
        }
      }
      // Both entries of a pair that share one of the keys just written (one as its own, the other
      // as a link) are linked: what lets a roster page skip the key lookup for all the others.
      // Each written key is looked up on its own, both sides (a lateral subquery kept apart by
      // `offset 0`, so the key is an index condition): a campaign's keys grow fast and their statistics lag,
      // and with the keys as a list Postgres chose to read every key of the campaign at every
      // commit (65 ms a commit at 24,000 entries; `in (select ...)` read them twice).
      const written = writtenKeys(planned);
      if (written.length) {
        statements.push(sql`update ${entries} set "linked" = true where "linked" = false and "seq" in (
          select a."entry_seq" from jsonb_array_elements_text(${JSON.stringify(written)}::jsonb) as w("key"),
            lateral (select k."entry_seq" from ${keys} k where k."campaign_id" = ${campaignId} and k."key" = w."key"
              and exists (select 1 from ${keys} b where b."campaign_id" = ${campaignId} and b."key" = w."key" and b."kind" <> k."kind" and b."entry_seq" <> k."entry_seq")
              offset 0) a)`);
      }
      const known = planned.flatMap((w, i) => [...w.known].map((id) => ({ i, id })));
      if (known.length) {
        const platformOf = planned.map((w) => w.platform);
        const json = pageKeysJson(known.map(({ i, id }) => ({ platform: platformOf[i]!, id })));
        // Each creator looked up on its own, as in readEntries.
        statements.push(sql`update ${creators} set "known" = true where "seq" in (
          select c."seq" from jsonb_to_recordset(${json}::jsonb) as k("platform" text, "creator_id" text),
            lateral (select c."seq" from ${creators} as c where c."job_id" = ${jobId} and c."platform" = k."platform" and c."creator_id" = k."creator_id" offset 0) as c)`);
      }
      return statements;
    },

    async list(db: PostgresDatabase, userId: string, campaignId: string, options: ListRosterOptions): Promise<StoredRosterEntry[]> {
      const values = listValues(userId, campaignId, options);
      const client = postgresJsClientOf(db);
      if (!client) return toEntries(await listQuery(db, (name) => values[name]));
      // postgres.js: the statement built once per combination of filters and prepared once per
      // connection; its rows mapped here, without drizzle's mapping.
      const key = Object.keys(values).join();
      let template = listTemplates.get(key);
      if (!template) listTemplates.set(key, (template = listQuery(db, (name) => (name in values ? sql.placeholder(name) : undefined)).toSQL()));
      const rows = await client.unsafe(template.sql, fillPlaceholders(template.params, values), { prepare: true });
      return rows.map(toStoredRosterEntryFromDriver);
    },

    async get(db: PostgresDatabase, userId: string, campaignId: string, ids: readonly string[]): Promise<StoredRosterEntry[]> {
      const where = ofIds(userId, campaignId, ids);
      if (!where) return [];
      return toEntries(await db.select().from(entries).where(where).orderBy(asc(entries.seq)));
    },

    async update(db: PostgresDatabase, userId: string, campaignId: string, ids: readonly string[], patch: RosterPatch, now: Date): Promise<StoredRosterEntry[]> {
      const where = ofIds(userId, campaignId, ids);
      if (!where) return [];
      const set = { ...definedOnly({ status: patch.status, notes: patch.notes, tags: patch.tags }), updatedAt: now };
      const updated = await db.update(entries).set(set).where(where).returning();
      updated.sort((a, b) => a.seq - b.seq);
      return toEntries(updated);
    },

    async findKeys(db: PostgresDatabase, campaignId: string, query: RosterKeyQuery): Promise<RosterKeyMatch[]> {
      const asked = keysAsked(query);
      if (!asked.length) return [];
      const rows = await db
        .select({ key: keys.key, kind: keys.kind, platform: entries.platform, creatorId: entries.creatorId, handle: entries.handle })
        .from(keys)
        .innerJoin(entries, eq(entries.seq, keys.entrySeq))
        .where(
          and(
            eq(keys.campaignId, campaignId),
            sql`(${keys.key}, ${keys.kind}) in (select "key", "kind" from jsonb_to_recordset(${JSON.stringify(asked)}::jsonb) as k("key" text, "kind" text))`,
          ),
        );
      return rows.map((r) => ({ id: rosterEntryId(r.platform, r.creatorId), platform: r.platform, handle: r.handle, key: r.key, kind: r.kind as RosterKeyMatch["kind"] }));
    },
  };
}
