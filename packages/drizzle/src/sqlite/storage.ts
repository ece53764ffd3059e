import {
  type ClaimStepResult,
  type CommitPageResult,
  type JobCreator,
  type SearchJob,
  type StorageAdapter,
  TERMINAL_STATUSES,
  isTerminal,
  mergeCreator,
  progressOf,
} from "@creatorsearch/core";
import { and, asc, count, desc, eq, gt, inArray, isNull, lte, notInArray, or, sql } from "drizzle-orm";
import type { BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import {
  type CreatorRow,
  creatorColumns,
  definedOnly,
  toCampaign,
  toChain,
  toJob,
  toJobCreator,
} from "../shared/rows.js";
import { campaigns, creators, searchChains, searchJobs, searchPages, type sqliteSchema } from "./schema.js";

export type SqliteDatabase = BetterSQLite3Database<typeof sqliteSchema>;

const OPEN = ["pending", "processing"] as const;
// Writers take the lock up front: a deferred transaction that reads then writes can fail with
// SQLITE_BUSY when another process (a second CLI, a worker) wrote in between.
const WRITE = { behavior: "immediate" } as const;

/**
 * The storage contract on a drizzle better-sqlite3 database. better-sqlite3 is synchronous,
 * so each method body runs in one immediate transaction and is atomic across processes too.
 */
export function createSqliteAdapter(db: SqliteDatabase, close: () => void): StorageAdapter {
  const jobById = (tx: SqliteDatabase, id: string) => tx.select().from(searchJobs).where(eq(searchJobs.id, id)).get();
  const chainByKey = (tx: SqliteDatabase, jobId: string, key: string) =>
    tx
      .select()
      .from(searchChains)
      .where(and(eq(searchChains.jobId, jobId), eq(searchChains.key, key)))
      .get();

  return {
    id: "sqlite",

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
      const row = db
        .select()
        .from(searchJobs)
        .where(and(eq(searchJobs.id, id), userId === undefined ? undefined : eq(searchJobs.userId, userId)))
        .get();
      return row ? toJob(row) : null;
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
      return db.select().from(searchChains).where(eq(searchChains.jobId, jobId)).orderBy(asc(searchChains.key)).all().map(toChain);
    },

    async claimStep(req): Promise<ClaimStepResult> {
      return db.transaction((tx) => {
        const leaseExpiresAt = new Date(req.now.getTime() + req.leaseMs);
        const claimed = tx
          .update(searchChains)
          .set({ leaseOwner: req.owner, leaseExpiresAt, updatedAt: req.now })
          .where(
            and(
              eq(searchChains.jobId, req.jobId),
              eq(searchChains.key, req.chain),
              eq(searchChains.step, req.step),
              eq(searchChains.exhausted, false),
              or(isNull(searchChains.leaseOwner), eq(searchChains.leaseOwner, req.owner), lte(searchChains.leaseExpiresAt, req.now)),
              sql`exists (select 1 from ${searchJobs} where ${searchJobs.id} = ${req.jobId} and ${inArray(searchJobs.status, [...OPEN])})`,
            ),
          )
          .returning()
          .get();
        if (!claimed) {
          const chain = chainByKey(tx, req.jobId, req.chain);
          const job = jobById(tx, req.jobId);
          const live = job && !isTerminal(toJob(job).status) && chain && !chain.exhausted && chain.step === req.step;
          if (live && chain.leaseExpiresAt) return { status: "busy", leaseExpiresAt: chain.leaseExpiresAt } as const;
          return { status: "done" } as const;
        }
        const started = tx
          .update(searchJobs)
          .set({ status: "processing", startedAt: req.now, updatedAt: req.now })
          .where(and(eq(searchJobs.id, req.jobId), eq(searchJobs.status, "pending")))
          .returning()
          .get();
        const job = started ?? jobById(tx, req.jobId)!;
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

    async getPage(jobId, chain, step) {
      const row = db
        .select()
        .from(searchPages)
        .where(and(eq(searchPages.jobId, jobId), eq(searchPages.chain, chain), eq(searchPages.step, step)))
        .get();
      return row ? { ...row, raw: row.raw ?? null } : null;
    },
    async savePage(page) {
      db.insert(searchPages).values(page).onConflictDoNothing().run();
    },
    async reserveApiCall(jobId, max) {
      const row = db
        .update(searchJobs)
        .set({ apiCalls: sql`${searchJobs.apiCalls} + 1` })
        .where(and(eq(searchJobs.id, jobId), sql`${searchJobs.apiCalls} < ${max}`))
        .returning({ id: searchJobs.id })
        .get();
      return row !== undefined;
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
          const seenRows = tx
            .select({ seq: creators.seq, data: creators.data, firstSeenAt: creators.firstSeenAt, creatorId: creators.creatorId })
            .from(creators)
            .where(
              and(
                eq(creators.jobId, req.jobId),
                eq(creators.platform, platform),
                inArray(
                  creators.creatorId,
                  page.map((c) => c.id),
                ),
              ),
            )
            .all();
          const seen = new Map(seenRows.map((r) => [r.creatorId, toJobCreator(r)]));
          for (const creator of page) {
            const before = seen.get(creator.id);
            if (before) {
              // mergeCreator spreads `before`; keep the row's own seq and first-seen time out of `data`.
              const { seq: _seq, firstSeenAt: _first, ...merged } = mergeCreator(before, creator) as JobCreator;
              tx.update(creators)
                .set(creatorColumns(req.jobId, merged, before.firstSeenAt))
                .where(eq(creators.seq, before.seq))
                .run();
            } else {
              tx.insert(creators).values(creatorColumns(req.jobId, creator, req.now)).run();
              newCreators += 1;
            }
          }
        }

        const chain = tx
          .update(searchChains)
          .set({
            step: req.step + 1,
            cursor: req.exhausted ? chainRow.cursor : req.nextCursor,
            exhausted: req.exhausted,
            leaseOwner: null,
            leaseExpiresAt: null,
            updatedAt: req.now,
          })
          .where(and(eq(searchChains.jobId, req.jobId), eq(searchChains.key, req.chain)))
          .returning()
          .get()!;

        // Counters come from the rows themselves, never from adding up deltas.
        const processedResults = tx.select({ n: count() }).from(creators).where(eq(creators.jobId, req.jobId)).get()!.n;
        const job = tx
          .update(searchJobs)
          .set({
            processedResults,
            processedRuns: sql`${searchJobs.processedRuns} + 1`,
            dryPages: newCreators > 0 ? 0 : sql`${searchJobs.dryPages} + 1`,
            progress: progressOf(processedResults, jobRow.targetResults),
            updatedAt: req.now,
          })
          .where(eq(searchJobs.id, req.jobId))
          .returning()
          .get()!;
        return { job: toJob(job), chain: toChain(chain), newCreators };
      }, WRITE);
    },

    async finishJob(req): Promise<SearchJob | null> {
      const row = db
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
      return row ? toJob(row) : null;
    },

    async listCreators(jobId, { after = 0, limit }): Promise<JobCreator[]> {
      const rows: Pick<CreatorRow, "seq" | "data" | "firstSeenAt">[] = db
        .select({ seq: creators.seq, data: creators.data, firstSeenAt: creators.firstSeenAt })
        .from(creators)
        .where(and(eq(creators.jobId, jobId), gt(creators.seq, after)))
        .orderBy(asc(creators.seq))
        .limit(limit)
        .all();
      return rows.map(toJobCreator);
    },

    async close() {
      close();
    },
  };
}

