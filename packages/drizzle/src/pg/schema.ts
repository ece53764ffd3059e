import type { StoredSource } from "../shared/roster-plan.js";
import { rawPageJson } from "@creatorsearch/core";
import {
  bigint,
  boolean,
  customType,
  doublePrecision,
  index as pgIndex,
  integer,
  jsonb,
  pgSchema,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex as pgUniqueIndex,
} from "drizzle-orm/pg-core";

/*
 * The Postgres tables of DESIGN.md, with the same table, column and index names as the SQLite
 * ones. Timestamps are `timestamptz(3)` (millisecond precision, like a JS Date, so lease
 * comparisons are exact); JSON columns are `jsonb` (raw pages are JSON text); `seq` is a bigint identity read as a number.
 * Changing the tables means running `pnpm --filter @creatorsearch/drizzle generate:pg`.
 */

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date", precision: 3 });

/**
 * JSON stored as text: raw API pages are written once, read back whole on a redelivery and never
 * queried inside, so Postgres need not parse a 150 KB body into `jsonb` on every step (the
 * migration also compresses the column with lz4 where the server has it). A page keeps the text
 * it arrived as, when the client kept it (`rawPageJson`).
 */
const jsonText = customType<{ data: unknown; driverData: string }>({
  dataType: () => "text",
  toDriver: rawPageJson,
  fromDriver: (value) => JSON.parse(value) as unknown,
});

/**
 * Builds the table objects, in the Postgres schema `schemaName` (default `public`), with every
 * table (and index) name starting with `prefix` (default none). The shipped migrations are
 * written for unqualified, unprefixed names; `postgresStorage({ schema, tablePrefix })` applies
 * them with `search_path` set to the schema and the names prefixed, and queries through tables
 * built here for the same schema and prefix.
 *
 * @example
 * ```ts
 * import { createPgTables } from "@creatorsearch/drizzle/pg";
 *
 * const { creators } = createPgTables("creatorsearch");
 * const rows = await db.select().from(creators).limit(10); // from "creatorsearch"."creators"
 * ```
 */
export function createPgTables(schemaName?: string, prefix = "") {
  // `pgSchema("public")` is refused by drizzle: the default schema goes through pgTable.
  const inSchema = (schemaName && schemaName !== "public" ? pgSchema(schemaName).table : pgTable) as typeof pgTable;
  const table = ((name: string, ...rest: unknown[]) => (inSchema as any)(prefix + name, ...rest)) as typeof pgTable;
  const index = (name: string) => pgIndex(prefix + name);
  const uniqueIndex = (name: string) => pgUniqueIndex(prefix + name);

  const campaigns = table(
    "campaigns",
    {
      id: text("id").primaryKey(),
      userId: text("user_id").notNull(),
      name: text("name").notNull(),
      description: text("description"),
      searchType: text("search_type").notNull(),
      status: text("status").notNull(),
      platforms: jsonb("platforms").$type<string[]>().notNull(),
      createdAt: ts("created_at").notNull(),
      updatedAt: ts("updated_at").notNull(),
      archivedAt: ts("archived_at"),
    },
    (t) => [index("campaigns_user_id_created_at_idx").on(t.userId, t.createdAt)],
  );

  const searchJobs = table(
    "search_jobs",
    {
      id: text("id").primaryKey(),
      userId: text("user_id").notNull(),
      campaignId: text("campaign_id")
        .notNull()
        .references(() => campaigns.id),
      platform: text("platform").notNull(),
      mode: text("mode").notNull(),
      keywords: jsonb("keywords").$type<string[]>().notNull(),
      targetHandle: text("target_handle"),
      targetResults: integer("target_results").notNull(),
      status: text("status").notNull(),
      processedRuns: integer("processed_runs").notNull().default(0),
      processedResults: integer("processed_results").notNull().default(0),
      /** Creators stored but failing the job's filters (`SearchJob.filtered`). */
      filtered: integer("filtered").notNull().default(0),
      /** Creators its campaign had before it (`onlyNew`): stored, never results (`SearchJob.skippedKnown`). */
      skippedKnown: integer("skipped_known").notNull().default(0),
      // double precision, as SQLite's `real` is: progress is a ratio, not a rounded float4.
      progress: doublePrecision("progress").notNull().default(0),
      apiCalls: integer("api_calls").notNull().default(0),
      dryPages: integer("dry_pages").notNull().default(0),
      stopReason: text("stop_reason"),
      error: text("error"),
      options: jsonb("options").$type<Record<string, unknown>>().notNull(),
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

  const searchChains = table(
    "search_chains",
    {
      jobId: text("job_id")
        .notNull()
        .references(() => searchJobs.id),
      key: text("key").notNull(),
      input: text("input").notNull(),
      cursor: text("cursor"),
      step: integer("step").notNull().default(0),
      exhausted: boolean("exhausted").notNull().default(false),
      leaseOwner: text("lease_owner"),
      leaseExpiresAt: ts("lease_expires_at"),
      updatedAt: ts("updated_at").notNull(),
    },
    (t) => [primaryKey({ columns: [t.jobId, t.key] })],
  );

  const searchPages = table(
    "search_pages",
    {
      jobId: text("job_id")
        .notNull()
        .references(() => searchJobs.id),
      chain: text("chain").notNull(),
      step: integer("step").notNull(),
      raw: jsonText("raw"),
      fetchedAt: ts("fetched_at").notNull(),
    },
    (t) => [primaryKey({ columns: [t.jobId, t.chain, t.step] })],
  );

  const creators = table(
    "creators",
    {
      /** First-seen order across the database; keyset cursor of result pages. */
      seq: bigint("seq", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
      jobId: text("job_id")
        .notNull()
        .references(() => searchJobs.id),
      platform: text("platform").notNull(),
      creatorId: text("creator_id").notNull(),
      handle: text("handle").notNull(),
      // bigint: follower counts of the largest accounts do not fit comfortably in int4.
      followers: bigint("followers", { mode: "number" }),
      engagementByFollowers: doublePrecision("engagement_by_followers"),
      verified: boolean("verified"),
      matchedKeywords: jsonb("matched_keywords").$type<string[]>().notNull(),
      /** The whole normalized creator (posts, hashtags, emails...). */
      data: jsonb("data").$type<Record<string, unknown>>().notNull(),
      firstSeenAt: ts("first_seen_at").notNull(),
      /** Fails the job's filters: stored so a later page can admit it, never listed. */
      excluded: boolean("excluded").notNull().default(false),
      /** On the campaign's roster before this (`onlyNew`) job found it: stored, never listed. */
      known: boolean("known").notNull().default(false),
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
  const campaignCreators = table(
    "campaign_creators",
    {
      /** Order in which entries joined the roster; keyset cursor of roster pages. */
      seq: bigint("seq", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
      campaignId: text("campaign_id")
        .notNull()
        .references(() => campaigns.id),
      /** The campaign's owner, so reads check tenancy without a join. */
      userId: text("user_id").notNull(),
      platform: text("platform").notNull(),
      creatorId: text("creator_id").notNull(),
      handle: text("handle").notNull(),
      name: text("name"),
      followers: bigint("followers", { mode: "number" }),
      /** The creator as `mergeRosterData` keeps it (no posts, no keywords). */
      data: jsonb("data").$type<Record<string, unknown>>().notNull(),
      status: text("status").notNull().default("new"),
      notes: text("notes"),
      tags: jsonb("tags").$type<string[]>().notNull(),
      /** The jobs that found it, first seen first (`RosterEntry.foundBy`, times as epoch ms): kept here so a page is one read. */
      foundBy: jsonb("found_by").$type<StoredSource[]>().notNull(),
      firstJobId: text("first_job_id").notNull(),
      /**
       * Whether another entry may share a key with it (`StoredRosterEntry.linkedHint`): new
       * entries start `false`, and the commit that writes a matching key sets both sides.
       */
      linked: boolean("linked").notNull().default(true),
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
  const campaignCreatorKeys = table(
    "campaign_creator_keys",
    {
      campaignId: text("campaign_id").notNull(),
      key: text("key").notNull(),
      entrySeq: bigint("entry_seq", { mode: "number" })
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

/** The table objects of one Postgres schema, as built by {@link createPgTables}. */
export type PgTables = ReturnType<typeof createPgTables>;

/** The tables in the default `public` schema (what the shipped migrations create). */
export const pgTables: PgTables = createPgTables();

/**
 * The tables of the `public` schema, for your own queries on `storage.db` (with a custom schema,
 * use `storage.tables` or {@link createPgTables}).
 */
export const { campaigns, searchJobs, searchChains, searchPages, creators, campaignCreators, campaignCreatorKeys } = pgTables;
