import {
  type ClaimStepResult,
  type CommitPageResult,
  type JobCreator,
  type RawPageRetention,
  type SearchJob,
  type StorageAdapter,
  TERMINAL_STATUSES,
  dropsPageOnCommit,
  dropsPagesOnFinish,
  isTerminal,
  progressOf,
} from "@creatorsearch/core";
import { type SQL, and, asc, desc, eq, gt, inArray, isNull, notInArray, sql } from "drizzle-orm";
import type { BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import {
  type CreatorRow,
  definedOnly,
  toCampaign,
  toChain,
  toJob,
  toJobCreator,
} from "../shared/rows.js";
import { planCreatorWrites, toStoredCreator } from "../shared/commit-plan.js";
import type { SqliteTables, sqliteSchema } from "./schema.js";
import { prepareCreatorInsert, prepareCreatorUpdate } from "./creator-insert.js";
import { prunablePages } from "../shared/prunable-pages.js";
import { betterSqlite3ClientOf } from "./better-sqlite3-db.js";
import { type StepStatements, prepareStepStatements } from "./statements.js";
import { sqliteRoster } from "./roster.js";
import { prepareRosterWrites } from "./roster-writes.js";

export type SqliteDatabase = BetterSQLite3Database<typeof sqliteSchema>;

const OPEN = ["pending", "processing"] as const;
// Raw pages are text; `fetched_at` is epoch ms.
const SQLITE_PRUNE = { bytes: (column: SQL) => sql`length(cast(${column} as blob))`, time: (date: Date) => date.getTime() };
// Writers take the lock up front: a deferred transaction that reads then writes can fail with
// SQLITE_BUSY when another process (a second CLI, a worker) wrote in between.
const WRITE = { behavior: "immediate" } as const;

/**
 * The storage contract on a drizzle better-sqlite3 database. better-sqlite3 is synchronous,
 * so each method body runs in one immediate transaction and is atomic across processes too.
 * Queries go to `tables` (those of the storage's table prefix).
 */
export function createSqliteAdapter(
  db: SqliteDatabase,
  tables: SqliteTables,
  close: () => void | Promise<void>,
  rawPages: RawPageRetention,
): StorageAdapter {
  const { campaigns, creators, searchChains, searchJobs } = tables;
  // Prepared on first use: the tables may not exist before migrations have run.
  let prepared: StepStatements | undefined;
  const st = () => (prepared ??= prepareStepStatements(db, tables));
  let creatorInsert: ReturnType<typeof prepareCreatorInsert> | undefined;
  const insertCreator = () => (creatorInsert ??= prepareCreatorInsert(db, tables));
  let creatorUpdate: ReturnType<typeof prepareCreatorUpdate> | undefined;
  const updateCreator = () => (creatorUpdate ??= prepareCreatorUpdate(db, tables));
  let rosterWrites: ReturnType<typeof prepareRosterWrites> | undefined;
  const roster = sqliteRoster(tables, () => (rosterWrites ??= prepareRosterWrites(db, tables)));
  const jobById = (_tx: SqliteDatabase, id: string) => st().jobById.get({ id });
  const chainByKey = (_tx: SqliteDatabase, jobId: string, key: string) => st().chainByKey.get({ jobId, key });

  // A file in incremental auto-vacuum mode gives pages freed by dropped raw pages back to the
  // file system (a no-op in other files; `prunePages({ vacuum: true })` converts them).
  // Run to its end with `exec`: each step of this pragma frees one page, so a prepared
  // statement's `run` would free only one (and `all` refuses it, as it returns no rows).
  const shrink = () => betterSqlite3ClientOf(db)?.exec("pragma incremental_vacuum");

  return {
    id: "sqlite",
    rawPages,

    async createCampaign(campaign) {
      db.insert(campaigns).values(campaign).run();
      return { ...campaign, platforms: [...campaign.platforms] };
    },
    async getCampaign(userId, id) {
      const row = db
        .select()
        .from(campaigns)
        .where(and(eq(campaigns.id, id), eq(campaigns.userId, userId)))
        .get();
      return row ? toCampaign(row) : null;
    },
    async listCampaigns(userId, { limit, offset = 0, includeArchived }) {
      const rows = db
        .select()
        .from(campaigns)
        .where(and(eq(campaigns.userId, userId), includeArchived ? undefined : isNull(campaigns.archivedAt)))
        .orderBy(desc(campaigns.createdAt), desc(campaigns.id))
        .limit(limit)
        .offset(offset)
        .all();
      return rows.map(toCampaign);
    },
    async updateCampaign(userId, id, patch, now) {
      const row = db
        .update(campaigns)
        .set({ ...definedOnly(patch), updatedAt: now })
        .where(and(eq(campaigns.id, id), eq(campaigns.userId, userId)))
        .returning()
        .get();
      return row ? toCampaign(row) : null;
    },

    async createJob(job, chains) {
      db.transaction((tx) => {
        tx.insert(searchJobs).values(job).run();
        if (chains.length) tx.insert(searchChains).values(chains).run();
      }, WRITE);
    },
    async getJob(id, userId) {
      const row = st().jobById.get({ id });
      return row && (userId === undefined || row.userId === userId) ? toJob(row) : null;
    },
    async listJobs(userId, { limit, offset = 0, campaignId, status }) {
      const rows = db
        .select()
        .from(searchJobs)
        .where(
          and(
            eq(searchJobs.userId, userId),
            campaignId ? eq(searchJobs.campaignId, campaignId) : undefined,
            status ? eq(searchJobs.status, status) : undefined,
          ),
        )
        .orderBy(desc(searchJobs.createdAt), desc(searchJobs.id))
        .limit(limit)
        .offset(offset)
        .all();
      return rows.map(toJob);
    },
    async listUnfinishedJobs({ limit, offset = 0 }) {
      const rows = db
        .select()
        .from(searchJobs)
        .where(inArray(searchJobs.status, [...OPEN]))
        .orderBy(asc(searchJobs.createdAt), asc(searchJobs.id))
        .limit(limit)
        .offset(offset)
        .all();
      return rows.map(toJob);
    },
    async listChains(jobId) {
      return st().chainsOfJob.all({ jobId }).map(toChain);
    },

    async claimStep(req): Promise<ClaimStepResult> {
      return db.transaction((tx) => {
        const claimed = st().claimChain.get({
          jobId: req.jobId,
          key: req.chain,
          step: req.step,
          owner: req.owner,
          leaseExpiresMs: req.now.getTime() + req.leaseMs,
          nowMs: req.now.getTime(),
        });
        if (!claimed) {
          const chain = chainByKey(tx, req.jobId, req.chain);
          const job = jobById(tx, req.jobId);
          const live = job && !isTerminal(toJob(job).status) && chain && !chain.exhausted && chain.step === req.step;
          if (live && chain.leaseExpiresAt) return { status: "busy", leaseExpiresAt: chain.leaseExpiresAt } as const;
          return { status: "done" } as const;
        }
        const job = st().startJob.get({ id: req.jobId, nowMs: req.now.getTime() }) ?? jobById(tx, req.jobId)!;
        return { status: "claimed", job: toJob(job), chain: toChain(claimed) } as const;
      }, WRITE);
    },
    async releaseStep({ jobId, chain, step, owner }) {
      db.update(searchChains)
        .set({ leaseOwner: null, leaseExpiresAt: null })
        .where(
          and(eq(searchChains.jobId, jobId), eq(searchChains.key, chain), eq(searchChains.step, step), eq(searchChains.leaseOwner, owner)),
        )
        .run();
    },
    async renewStep({ jobId, chain, step, owner, leaseMs, now }) {
      const renewed = db
        .update(searchChains)
        .set({ leaseExpiresAt: new Date(now.getTime() + leaseMs) })
        .where(and(eq(searchChains.jobId, jobId), eq(searchChains.key, chain), eq(searchChains.step, step), eq(searchChains.leaseOwner, owner)))
        .run();
      return renewed.changes > 0;
    },

    async getPage(jobId, chain, step) {
      const row = st().pageByStep.get({ jobId, chain, step });
      return row ? { ...row, raw: row.raw ?? null } : null;
    },
    async savePage(page) {
      st().insertPage.run({ ...page });
    },
    async reserveApiCall(jobId, max) {
      return st().reserveApiCall.get({ id: jobId, max }) !== undefined;
    },

    async commitPage(req): Promise<CommitPageResult | null> {
      return db.transaction((tx) => {
        const jobRow = jobById(tx, req.jobId);
        const chainRow = chainByKey(tx, req.jobId, req.chain);
        if (!jobRow || !chainRow || isTerminal(toJob(jobRow).status)) return null;
        if (chainRow.step !== req.step || chainRow.leaseOwner !== req.owner) return null;

        let newCreators = 0;
        for (const platform of new Set(req.creators.map((c) => c.platform))) {
          const page = req.creators.filter((c) => c.platform === platform);
          const seenRows = st().seenCreators.all({ jobId: req.jobId, platform, ids: JSON.stringify(page.map((c) => c.id)) });
          const seen = new Map(seenRows.map((r) => [r.creatorId, toStoredCreator(r)]));
          const writes = planCreatorWrites(req.jobId, page, seen, req.accepts, req.now);
          // The roster first: whether the campaign had a creator decides if it is this job's result.
          const known = roster.commit(jobRow, platform, writes.admitted, Boolean(req.onlyNew), req.now);
          for (const row of writes.insert) insertCreator()({ ...row, known: known.has(row.creatorId) });
          for (const { seq, columns } of writes.update) updateCreator()(seq, columns);
          for (const { seq, columns } of writes.readmit) {
            tx.delete(creators).where(eq(creators.seq, seq)).run();
            // A new seq: its position in the results.
            tx.insert(creators).values({ ...columns, known: known.has(columns.creatorId) }).run();
          }
          newCreators += writes.newCreators;
        }

        const chain = st().advanceChain.get({
          jobId: req.jobId,
          key: req.chain,
          step: req.step + 1,
          cursor: req.exhausted ? chainRow.cursor : req.nextCursor,
          exhausted: req.exhausted ? 1 : 0,
          nowMs: req.now.getTime(),
        })!;

        // Counters come from the rows themselves, never from adding up deltas.
        const { n: stored, filtered, known } = st().countCreators.get({ jobId: req.jobId })!;
        const processedResults = stored - filtered - known;
        const job = st().setCounters.get({
          id: req.jobId,
          processedResults,
          filtered,
          skippedKnown: known,
          newCreators,
          progress: progressOf(processedResults, jobRow.targetResults),
          nowMs: req.now.getTime(),
        })!;
        // The chain is past the step: no delivery of it can run again, so its page has done its job.
        if (dropsPageOnCommit(rawPages)) st().deletePage.run({ jobId: req.jobId, chain: req.chain, step: req.step });
        return { job: toJob(job), chain: toChain(chain), newCreators };
      }, WRITE);
    },

    async finishJob(req): Promise<SearchJob | null> {
      const row = db.transaction((tx) => {
        const finished = tx
        .update(searchJobs)
        .set({
          status: req.status,
          stopReason: req.stopReason,
          error: req.error ?? null,
          completedAt: req.now,
          updatedAt: req.now,
          ...(req.status === "completed" && req.stopReason === "target_reached" ? { progress: 100 } : {}),
        })
        .where(and(eq(searchJobs.id, req.jobId), notInArray(searchJobs.status, [...TERMINAL_STATUSES])))
        .returning()
        .get();
        if (finished && dropsPagesOnFinish(rawPages)) st().deletePagesOfJob.run({ jobId: req.jobId });
        return finished;
      }, WRITE);
      if (row && dropsPagesOnFinish(rawPages)) shrink();
      return row ? toJob(row) : null;
    },

    async prunePages({ now, dryRun, vacuum }) {
      const prunable = prunablePages(tables, rawPages, now, SQLITE_PRUNE);
      const result = db.transaction((tx) => {
        const counted = tx.get<{ pages: number; bytes: number }>(prunable.count);
        if (!dryRun && counted.pages > 0) tx.run(prunable.delete);
        return { pages: counted.pages, bytes: counted.bytes };
      }, WRITE);
      if (!dryRun) {
        if (vacuum) db.run(sql`vacuum`);
        else if (result.pages > 0) shrink();
      }
      return result;
    },

    async listCreators(jobId, { after = 0, limit }): Promise<JobCreator[]> {
      return st().creatorsPage.all({ jobId, after, limit }).map(toJobCreator);
    },

    async listRoster(userId, campaignId, options) {
      return roster.list(db, userId, campaignId, options);
    },
    async getRosterEntries(userId, campaignId, ids) {
      return roster.get(db, userId, campaignId, ids);
    },
    async updateRosterEntries(userId, campaignId, ids, patch, now) {
      return db.transaction((tx) => roster.update(tx, userId, campaignId, ids, patch, now), WRITE);
    },
    async findRosterKeys(campaignId, query) {
      return roster.findKeys(db, campaignId, query);
    },

    async close() {
      await close();
    },
  };
}

