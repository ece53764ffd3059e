import type { StoredSource } from "../shared/roster-plan.js";
import { rawPageJson } from "@creatorsearch/core";
import {
  customType,
  index as sqliteIndex,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  uniqueIndex as sqliteUniqueIndex,
} from "drizzle-orm/sqlite-core";

/*
 * The SQLite tables of DESIGN.md. Timestamps are epoch milliseconds (`timestamp_ms`) so
 * lease comparisons keep millisecond precision; JSON columns hold arrays and documents.
 * Changing the tables means running `pnpm --filter @creatorsearch/drizzle generate:sqlite`
 * (drizzle-kit reads the unprefixed `sqliteSchema` exported below).
 */

const ts = (name: string) => integer(name, { mode: "timestamp_ms" });

/** A raw API page as JSON text: the text it arrived as, when the client kept it (`rawPageJson`). */
const rawPageText = customType<{ data: unknown; driverData: string }>({
  dataType: () => "text",
  toDriver: rawPageJson,
  fromDriver: (value) => JSON.parse(value) as unknown,
});

/**
 * Builds the table objects with every table (and index) name starting with `prefix` (default
 * none), e.g. `"cs_"` gives `cs_campaigns`, `cs_creators_job_id_seq_idx`... The shipped
 * migrations are written for unprefixed names; `sqliteStorage({ tablePrefix })` applies them with
 * the names prefixed, and queries through tables built here for the same prefix. The prefix is
 * not checked here: `sqliteStorage` refuses anything but letters, digits and `_`.
 *
 * @example
 * ```ts
 * import { createSqliteTables, sqliteStorage } from "@creatorsearch/drizzle/sqlite";
 *
 * const storage = sqliteStorage({ file: "app.db", tablePrefix: "cs_" });
 * const { creators } = createSqliteTables("cs_"); // the same objects as `storage.tables`
 * const rows = storage.db.select().from(creators).limit(10).all(); // from "cs_creators"
 * ```
 */
export function createSqliteTables<P extends string = "">(prefix: P = "" as P) {
  const name = <N extends string>(base: N) => `${prefix}${base}` as `${P}${N}`;
  const index = (base: string) => sqliteIndex(prefix + base);
  const uniqueIndex = (base: string) => sqliteUniqueIndex(prefix + base);

  const campaigns = sqliteTable(
    name("campaigns"),
    {
      id: text("id").primaryKey(),
      userId: text("user_id").notNull(),
      name: text("name").notNull(),
      description: text("description"),
      searchType: text("search_type").notNull(),
      status: text("status").notNull(),
      platforms: text("platforms", { mode: "json" }).$type<string[]>().notNull(),
      createdAt: ts("created_at").notNull(),
      updatedAt: ts("updated_at").notNull(),
      archivedAt: ts("archived_at"),
    },
    (t) => [index("campaigns_user_id_created_at_idx").on(t.userId, t.createdAt)],
  );

  const searchJobs = sqliteTable(
    name("search_jobs"),
    {
      id: text("id").primaryKey(),
      userId: text("user_id").notNull(),
      campaignId: text("campaign_id")
        .notNull()
        .references(() => campaigns.id),
      platform: text("platform").notNull(),
      mode: text("mode").notNull(),
      keywords: text("keywords", { mode: "json" }).$type<string[]>().notNull(),
      targetHandle: text("target_handle"),
      targetResults: integer("target_results").notNull(),
      status: text("status").notNull(),
      processedRuns: integer("processed_runs").notNull().default(0),
      processedResults: integer("processed_results").notNull().default(0),
      /** Creators stored but failing the job's filters (`SearchJob.filtered`). */
      filtered: integer("filtered").notNull().default(0),
      /** Creators its campaign had before it (`onlyNew`): stored, never results (`SearchJob.skippedKnown`). */
      skippedKnown: integer("skipped_known").notNull().default(0),
      progress: real("progress").notNull().default(0),
      apiCalls: integer("api_calls").notNull().default(0),
      dryPages: integer("dry_pages").notNull().default(0),
      stopReason: text("stop_reason"),
      error: text("error"),
      options: text("options", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
      timeoutAt: ts("timeout_at").notNull(),
      createdAt: ts("created_at").notNull(),
      updatedAt: ts("updated_at").notNull(),
      startedAt: ts("started_at"),
      completedAt: ts("completed_at"),
    },
    (t) => [
      index("search_jobs_user_id_created_at_idx").on(t.userId, t.createdAt),
      index("search_jobs_campaign_id_idx").on(t.campaignId),
      index("search_jobs_status_created_at_idx").on(t.status, t.createdAt),
    ],
  );

  const searchChains = sqliteTable(
    name("search_chains"),
    {
      jobId: text("job_id")
        .notNull()
        .references(() => searchJobs.id),
      key: text("key").notNull(),
      input: text("input").notNull(),
      cursor: text("cursor"),
      step: integer("step").notNull().default(0),
      exhausted: integer("exhausted", { mode: "boolean" }).notNull().default(false),
      leaseOwner: text("lease_owner"),
      leaseExpiresAt: ts("lease_expires_at"),
      updatedAt: ts("updated_at").notNull(),
    },
    (t) => [primaryKey({ columns: [t.jobId, t.key] })],
  );

  const searchPages = sqliteTable(
    name("search_pages"),
    {
      jobId: text("job_id")
        .notNull()
        .references(() => searchJobs.id),
      chain: text("chain").notNull(),
      step: integer("step").notNull(),
      raw: rawPageText("raw"),
      fetchedAt: ts("fetched_at").notNull(),
    },
    (t) => [primaryKey({ columns: [t.jobId, t.chain, t.step] })],
  );

  const creators = sqliteTable(
    name("creators"),
    {
      /** First-seen order across the database; keyset cursor of result pages. */
      seq: integer("seq").primaryKey({ autoIncrement: true }),
      jobId: text("job_id")
        .notNull()
        .references(() => searchJobs.id),
      platform: text("platform").notNull(),
      creatorId: text("creator_id").notNull(),
      handle: text("handle").notNull(),
      followers: integer("followers"),
      engagementByFollowers: real("engagement_by_followers"),
      verified: integer("verified", { mode: "boolean" }),
      matchedKeywords: text("matched_keywords", { mode: "json" }).$type<string[]>().notNull(),
      /** The whole normalized creator (posts, hashtags, emails...). */
      data: text("data", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
      firstSeenAt: ts("first_seen_at").notNull(),
      /** Fails the job's filters: stored so a later page can admit it, never listed. */
      excluded: integer("excluded", { mode: "boolean" }).notNull().default(false),
      /** On the campaign's roster before this (`onlyNew`) job found it: stored, never listed. */
      known: integer("known", { mode: "boolean" }).notNull().default(false),
    },
    (t) => [
      uniqueIndex("creators_job_id_platform_creator_id_uq").on(t.jobId, t.platform, t.creatorId),
      index("creators_job_id_seq_idx").on(t.jobId, t.seq),
      // Result pages (admitted creators after a cursor, in order) and the recount of every commit
      // (count, excluded, known) both read this index alone, never rows whose JSON may be large.
      index("creators_job_id_excluded_known_seq_idx").on(t.jobId, t.excluded, t.known, t.seq),
    ],
  );

  // The campaign's roster: one entry per account however many jobs found it, with the team's fields.
  const campaignCreators = sqliteTable(
    name("campaign_creators"),
    {
      /** Order in which entries joined the roster; keyset cursor of roster pages. */
      seq: integer("seq").primaryKey({ autoIncrement: true }),
      campaignId: text("campaign_id")
        .notNull()
        .references(() => campaigns.id),
      /** The campaign's owner, so reads check tenancy without a join. */
      userId: text("user_id").notNull(),
      platform: text("platform").notNull(),
      creatorId: text("creator_id").notNull(),
      handle: text("handle").notNull(),
      name: text("name"),
      followers: integer("followers"),
      /** The creator as `mergeRosterData` keeps it (no posts, no keywords). */
      data: text("data", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
      status: text("status").notNull().default("new"),
      notes: text("notes"),
      tags: text("tags", { mode: "json" }).$type<string[]>().notNull(),
      /** The jobs that found it, first seen first (`RosterEntry.foundBy`, times as epoch ms): kept here so a page is one read. */
      foundBy: text("found_by", { mode: "json" }).$type<StoredSource[]>().notNull(),
      firstJobId: text("first_job_id").notNull(),
      /**
       * Whether another entry may share a key with it (`StoredRosterEntry.linkedHint`): new
       * entries start `false`, and the commit that writes a matching key sets both sides.
       */
      linked: integer("linked", { mode: "boolean" }).notNull().default(true),
      firstSeenAt: ts("first_seen_at").notNull(),
      updatedAt: ts("updated_at").notNull(),
    },
    (t) => [
      uniqueIndex("campaign_creators_campaign_id_platform_creator_id_uq").on(t.campaignId, t.platform, t.creatorId),
      index("campaign_creators_campaign_id_seq_idx").on(t.campaignId, t.seq),
      index("campaign_creators_campaign_id_status_seq_idx").on(t.campaignId, t.status, t.seq),
    ],
  );

  // Identity and link keys of roster entries (`identityKeysOf`, `linkKeysOf`): finds the same person.
  const campaignCreatorKeys = sqliteTable(
    name("campaign_creator_keys"),
    {
      campaignId: text("campaign_id").notNull(),
      key: text("key").notNull(),
      entrySeq: integer("entry_seq")
        .notNull()
        .references(() => campaignCreators.seq),
      /** `self` (the entry's own account) or `link` (an account it links to). */
      kind: text("kind").notNull(),
    },
    (t) => [
      primaryKey({ columns: [t.campaignId, t.key, t.entrySeq, t.kind] }),
      index("campaign_creator_keys_entry_seq_idx").on(t.entrySeq),
    ],
  );

  return { campaigns, searchJobs, searchChains, searchPages, creators, campaignCreators, campaignCreatorKeys };
}

/**
 * The table objects of one prefix, as built by {@link createSqliteTables} (`SqliteTables<"cs_">`
 * for the prefix `"cs_"`; plain `SqliteTables` for any prefix).
 */
export type SqliteTables<P extends string = string> = ReturnType<typeof createSqliteTables<P>>;

/** The unprefixed tables (what the shipped migrations create), for drizzle's relational queries. */
export const sqliteSchema: SqliteTables<""> = createSqliteTables();

/**
 * The unprefixed tables, for your own queries on `storage.db` (with a `tablePrefix`, use
 * `storage.tables` or {@link createSqliteTables}).
 */
export const { campaigns, searchJobs, searchChains, searchPages, creators, campaignCreators, campaignCreatorKeys } = sqliteSchema;
