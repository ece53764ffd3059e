import {
  type ClaimStepResult,
  type CommitPageResult,
  type Creator,
  type JobCreator,
  type RawPageRetention,
  type SearchChain,
  type SearchJob,
  type StorageAdapter,
  TERMINAL_STATUSES,
  dropsPageOnCommit,
  dropsPagesOnFinish,
  isTerminal,
} from "@creatorsearch/core";
import { type Placeholder, type SQL, and, asc, desc, eq, exists, getTableColumns, inArray, isNull, notInArray, sql } from "drizzle-orm";
import type { PgDatabase } from "drizzle-orm/pg-core";
import {
  type CreatorRow,
  type JobRow,
  creatorColumns,
  definedOnly,
  toCampaign,
  toChain,
  toJob,
  toJobCreator,
} from "../shared/rows.js";
import { planCreatorWrites, toStoredCreator } from "../shared/commit-plan.js";
import { type AdmittedCreator, type RosterWrites, type StoredRosterRow, planRosterWrites } from "../shared/roster-plan.js";
import { type RawRosterRow, pgRoster, rowsOfResult, statementOfSql, toStoredRosterRow } from "./roster.js";
import { deleteCreatorStatement, insertNewCreatorStatements, storedCreatorsStatement, updateCreatorsStatement } from "./creator-statements.js";
import { type Statement, inPipelinedTransaction, mapRow, postgresJsPoolOf } from "./fast-path.js";
import { prunablePages } from "../shared/prunable-pages.js";
import { bound, commitTemplates, prepareStepStatements } from "./statements.js";
import type { PgTables } from "./schema.js";

/**
 * A drizzle Postgres database: `drizzle-orm/postgres-js` (what `postgresStorage({ url })` opens),
 * `drizzle-orm/node-postgres`, or any other pg-core driver; the query builder is the same.
 */
export type PostgresDatabase = PgDatabase<any, any, any>;

const OPEN = ["pending", "processing"] as const;
/** `execute`'s rows: postgres.js answers an array, node-postgres and PGlite `{ rows }`. */
const rowsOf = <T>(result: unknown): T[] => (Array.isArray(result) ? result : ((result as { rows?: T[] }).rows ?? [])) as T[];
// Raw pages are text (counted before TOAST compression); `fetched_at` is a timestamptz.
const PG_PRUNE = { bytes: (column: SQL) => sql`octet_length(${column})`, time: (date: Date) => date.toISOString() };

/** A creator's key in a job: platform and id. */
const creatorKey = (r: { platform?: unknown; creatorId?: unknown; creator_id?: unknown }) => `${r.platform}\u0000${r.creatorId ?? r.creator_id}`;
/** The page's creators that its inserts skipped: the job had them already. */
const notInserted = (page: readonly Creator[], inserted: ReadonlySet<string>) => page.filter((c) => !inserted.has(creatorKey({ platform: c.platform, creatorId: c.id })));

/**
 * What a commit's first statements found: the locked job, the advanced chain, what was inserted,
 * the recounted job, and the campaign's roster entries of the page's creators.
 */
type FirstResult = { before?: JobRow; chain?: SearchChain; inserted: Set<string>; job?: JobRow; roster: RawRosterRow[] };
/** A page's merge writes and its page counters. */
type MergeWrites = { update: MergeWrite[]; readmit: MergeWrite[] };
type PageCounters = { processedRuns: number; dryPages: number };
/** What a commit writes after its first statements. */
type CommitPlan = { writes: MergeWrites; rosterWrites: RosterWrites[]; counters: PageCounters; campaignId: string };

/** A stored creator row as the merge reads it. */
type StoredRow = Pick<CreatorRow, "seq" | "data" | "firstSeenAt" | "excluded" | "creatorId" | "platform">;
/** A stored row to write again, with its merged columns. */
type MergeWrite = { seq: number; columns: Omit<CreatorRow, "seq"> };

/** A drizzle query as SQL text and driver values, to send on the pipelined path. */
const statementOf = (query: { toSQL(): { sql: string; params: unknown[] } }): Statement => {
  const { sql: text, params } = query.toSQL();
  return { text, params };
};

/** Thrown inside a commit's transaction to roll it back when the claim does not hold. */
const REFUSED = new Error("commit refused: the claim does not hold");

/**
 * The storage contract on a drizzle Postgres database, over the tables of one schema.
 *
 * Concurrency (READ COMMITTED, the default): a claim is one conditional `UPDATE ... RETURNING`;
 * a concurrent claimer blocks on the row lock and then re-checks the condition against the
 * committed row, so exactly one wins. A page commit locks the job row first (`FOR NO KEY
 * UPDATE`), so the commits of one job's chains run one after the other: the creator merge and the
 * recount never race. (Not `FOR UPDATE`: that would also hold up the foreign-key checks of the
 * job's page saves, which only need the key to stay.) Lock order is always job, then chain; a
 * claim only touches the job row while the job is `pending`, when no commit can hold it.
 */
export function createPostgresAdapter(
  db: PostgresDatabase,
  tables: PgTables,
  close: () => Promise<void>,
  rawPages: RawPageRetention,
): StorageAdapter {
  const { campaigns, searchJobs, searchChains, searchPages, creators } = tables;

  /**
   * The update that recomputes a job's counters from its creator rows, never by adding up
   * deltas: one scan of the job's index entries, in the update itself. Progress is progressOf()
   * in SQL: the same double arithmetic, rounded half up. After a page, it also sets the page
   * counters, computed under the job's row lock: given, or `"this page"`, where the page is dry
   * unless this transaction inserted a creator (rows it wrote carry its id as `xmin`; the recount
   * runs before any merge rewrites a stored row).
   */
  const recountQuery = (tx: PostgresDatabase, jobId: string | Placeholder, now: Date | SQL, page: "this page" | { processedRuns: number | SQL; dryPages: number | SQL }) => {
    const counts = tx.$with("counts").as(
      tx
        .select({
          admitted: sql<number>`(count(*) filter (where not ${creators.excluded} and not ${creators.known}))::int`.as("admitted"),
          excluded: sql<number>`(count(*) filter (where ${creators.excluded}))::int`.as("excluded_count"),
          known: sql<number>`(count(*) filter (where ${creators.known}))::int`.as("known_count"),
          inserted: sql<number>`(count(*) filter (where xmin = pg_current_xact_id()::xid))::int`.as("inserted_now"),
        })
        .from(creators)
        .where(eq(creators.jobId, jobId)),
    );
    return tx
      .with(counts)
      .update(searchJobs)
      .set({
        processedResults: sql`${counts.admitted}`,
        filtered: sql`${counts.excluded}`,
        skippedKnown: sql`${counts.known}`,
        progress: sql`case when ${searchJobs.targetResults} <= 0 then 100 else least(100, floor((${counts.admitted}::float8 / ${searchJobs.targetResults}::float8) * 10000 + 0.5) / 100) end`,
        updatedAt: now,
        ...(page === "this page"
          ? { processedRuns: sql`${searchJobs.processedRuns} + 1`, dryPages: sql`case when ${counts.inserted} > 0 then 0 else ${searchJobs.dryPages} + 1 end` }
          : page),
      })
      .from(counts)
      .where(eq(searchJobs.id, jobId))
      .returning(getTableColumns(searchJobs));
  };
  const recount = async (...args: Parameters<typeof recountQuery>): Promise<JobRow> => {
    const [job] = await recountQuery(...args);
    return job as JobRow;
  };

  /**
   * A page commit's first statements, in this order: the job row lock (which serializes the
   * commits of one job's chains, so the writes and the recount cannot race), the chain advance
   * (conditioned on the claim), the stored rows of the page's creators (read under the lock, so
   * they are exactly those the inserts will skip), the creators inserted as new, the recount, and
   * the job's chains as advanced (the engine decides the job's next step from them).
   * On postgres.js: prepared statements in one round trip with the `begin`.
   */
  const firstStatements = (req: Parameters<StorageAdapter["commitPage"]>[0], rows: Omit<CreatorRow, "seq">[]): Statement[] => {
    const { jobId, chain, step, owner, now } = req;
    const advance = req.exhausted ? templates.advanceToEnd : templates.advance;
    return [
      templates.lock.fill({ jobId }),
      statementOfSql(roster.lockCampaign(jobId)),
      statementOfSql(roster.readEntries(jobId, req.creators)),
      advance.fill({ jobId, chain, step, owner, now, nextStep: step + 1, cursor: req.nextCursor }),
      storedCreatorsStatement(tables, jobId, rows),
      ...insertNewCreatorStatements(tables, rows),
      templates.recountPage.fill({ jobId, now }),
      templates.chains.fill({ jobId }),
    ];
  };
  /** The same on other drivers, one after the other; nothing is written when the claim does not hold. */
  const sendFirst = async (tx: PostgresDatabase, req: Parameters<StorageAdapter["commitPage"]>[0], rows: Omit<CreatorRow, "seq">[]): Promise<FirstResult> => {
    const [before] = await lockJob(tx, req.jobId);
    await tx.execute(roster.lockCampaign(req.jobId));
    const entries = rowsOfResult<RawRosterRow>(await tx.execute(roster.readEntries(req.jobId, req.creators)));
    const [chain] = await advanceChain(tx, req);
    if (!before || !chain) return { before, chain, inserted: new Set(), roster: entries };
    const inserted = rows.length
      ? await tx.insert(creators).values(rows).onConflictDoNothing().returning({ platform: creators.platform, creatorId: creators.creatorId })
      : [];
    const [job] = await recountQuery(tx, req.jobId, req.now, "this page");
    return { before, chain, inserted: new Set(inserted.map(creatorKey)), job: job as JobRow, roster: entries };
  };
  /** The rows a job has for `page`'s creators, read for merging (drivers other than postgres.js). */
  const selectStored = (tx: PostgresDatabase, jobId: string, page: readonly { platform: string; id: string }[]): Promise<StoredRow[]> =>
    tx
      .select({ seq: creators.seq, data: creators.data, firstSeenAt: creators.firstSeenAt, excluded: creators.excluded, creatorId: creators.creatorId, platform: creators.platform })
      .from(creators)
      .where(
        and(
          eq(creators.jobId, jobId),
          inArray(creators.platform, [...new Set(page.map((c) => c.platform))]),
          inArray(creators.creatorId, [...new Set(page.map((c) => c.id))]),
        ),
      );

  /**
   * A page's second statements: merges (rows rewritten in place; readmitted rows deleted, then
   * inserted again with a new `seq`), the roster writes, the job's known creators marked, and the
   * recount with the page counters given when any of them changed the counts.
   */
  const secondStatements = (req: Parameters<StorageAdapter["commitPage"]>[0], plan: CommitPlan): Statement[] => {
    const { writes, rosterWrites, counters } = plan;
    const statements = [
      ...(writes.update.length ? [updateCreatorsStatement(tables, writes.update)] : []),
      ...writes.readmit.flatMap(({ seq, columns }) => [deleteCreatorStatement(tables, seq), ...insertNewCreatorStatements(tables, [columns])]),
      ...roster.writes(req.jobId, plan.campaignId, rosterWrites).map(statementOfSql),
    ];
    return [
      ...statements,
      ...(recounts(plan) ? [templates.recountExact.fill({ jobId: req.jobId, now: req.now, ...counters })] : []),
      ...(dropPageOnCommit ? [templates.dropPage.fill({ jobId: req.jobId, chain: req.chain, step: req.step })] : []),
    ];
  };
  /** The same on other drivers; the recounted job, if counted again. */
  const sendSecond = async (tx: PostgresDatabase, req: Parameters<StorageAdapter["commitPage"]>[0], plan: CommitPlan): Promise<JobRow | null> => {
    const { writes, rosterWrites, counters } = plan;
    // Being known is decided once, when the job first admits the creator: never rewritten by a merge.
    for (const { seq, columns: { known: _known, ...columns } } of writes.update) await tx.update(creators).set(columns).where(eq(creators.seq, seq));
    for (const { seq, columns } of writes.readmit) {
      await tx.delete(creators).where(eq(creators.seq, seq));
      await tx.insert(creators).values(columns);
    }
    for (const statement of roster.writes(req.jobId, plan.campaignId, rosterWrites)) await tx.execute(statement);
    const recounted = recounts(plan) ? await recount(tx, req.jobId, req.now, counters) : null;
    if (dropPageOnCommit) await tx.delete(searchPages).where(and(eq(searchPages.jobId, req.jobId), eq(searchPages.chain, req.chain), eq(searchPages.step, req.step)));
    return recounted;
  };
  /** Merges change what the job holds; known creators what it counts. Roster writes alone change neither. */
  const recounts = ({ writes, rosterWrites }: CommitPlan) =>
    writes.update.length > 0 || writes.readmit.length > 0 || rosterWrites.some((w) => w.known.size > 0);

  /**
   * After the first statements: refuses a commit whose claim does not hold, or plans the rest:
   * the merge of the creators the job had, and the roster writes of every creator it admits.
   */
  const planCommit = (req: Parameters<StorageAdapter["commitPage"]>[0], rows: Omit<CreatorRow, "seq">[], first: FirstResult, stored: StoredRow[]) => {
    const { before, chain, inserted, job } = first;
    // A claim moves the job to `processing` before it takes the lease, so only a processing job
    // has claims to commit. No chain row means a replay, a stale step or another owner. Either
    // way nothing may stay written.
    if (!before || before.status !== "processing" || !chain || !job) throw REFUSED;
    const done: CommitPageResult = { job: toJob(job), chain: toChain(chain), newCreators: inserted.size };
    const admitted = new Map<string, AdmittedCreator[]>();
    const admit = (platform: string, entry: AdmittedCreator) => {
      const list = admitted.get(platform);
      if (list) list.push(entry);
      else admitted.set(platform, [entry]);
    };
    // Inserted now and passing the filters: admitted by this commit.
    req.creators.forEach((c, i) => {
      if (!rows[i]!.excluded && inserted.has(creatorKey({ platform: c.platform, creatorId: c.id }))) admit(c.platform, { creator: c, fresh: true, firstSeenAt: req.now });
    });
    const others = notInserted(req.creators, inserted);
    const writes: MergeWrites = { update: [], readmit: [] };
    for (const platform of new Set(others.map((c) => c.platform))) {
      const ofPlatform = new Map(stored.filter((r) => r.platform === platform).map((r) => [r.creatorId, toStoredCreator(r)]));
      const planned = planCreatorWrites(req.jobId, others.filter((c) => c.platform === platform), ofPlatform, req.accepts, req.now);
      writes.update.push(...planned.update);
      writes.readmit.push(...planned.readmit);
      for (const entry of planned.admitted) admit(platform, entry);
    }
    const entries = first.roster.map(toStoredRosterRow);
    const rosterWrites = [...admitted].map(([platform, list]) => {
      const ofPlatform = new Map<string, StoredRosterRow>(entries.filter((e) => e.platform === platform).map((e) => [e.creatorId, e]));
      return planRosterWrites(before, platform, list, ofPlatform, Boolean(req.onlyNew), req.now);
    });
    const counters = { processedRuns: before.processedRuns + 1, dryPages: inserted.size > 0 ? 0 : before.dryPages + 1 };
    return { done, plan: { writes, rosterWrites, counters, campaignId: before.campaignId } satisfies CommitPlan };
  };

  const lockJob = (tx: PostgresDatabase, jobId: string) => tx.select().from(searchJobs).where(eq(searchJobs.id, jobId)).for("no key update");
  // Conditioned on the claim, and on the job processing: a stray commit of a pending job never
  // waits on a claim's chain lock while holding the job (lock order stays job, then chain).
  const advanceChain = (tx: PostgresDatabase, req: Parameters<StorageAdapter["commitPage"]>[0]) =>
    tx
      .update(searchChains)
      .set({
        step: req.step + 1,
        ...(req.exhausted ? {} : { cursor: req.nextCursor }),
        exhausted: req.exhausted,
        leaseOwner: null,
        leaseExpiresAt: null,
        updatedAt: req.now,
      })
      .where(
        and(
          eq(searchChains.jobId, req.jobId),
          eq(searchChains.key, req.chain),
          eq(searchChains.step, req.step),
          eq(searchChains.leaseOwner, req.owner),
          exists(
            tx
              .select({ one: sql`1` })
              .from(searchJobs)
              .where(and(eq(searchJobs.id, req.jobId), eq(searchJobs.status, "processing"))),
          ),
        ),
      )
      .returning();

  const roster = pgRoster(tables);
  const statements = prepareStepStatements(db, tables);
  const templates = commitTemplates(db, tables, (page) => recountQuery(db, sql.placeholder("jobId"), bound("now", searchJobs.updatedAt), page));
  // Once the chain is past the step no delivery of it runs again, so its raw page has done its
  // job: the commit drops it in the same transaction (and round trip), not in one of its own.
  const dropPageOnCommit = dropsPageOnCommit(rawPages);

  const releaseStep: StorageAdapter["releaseStep"] = async ({ jobId, chain, step, owner }) => {
    await statements.releaseStep.execute({ jobId, chain, step, owner });
  };

  const adapter: StorageAdapter = {
    id: "postgres",
    rawPages,

    async createCampaign(campaign) {
      await db.insert(campaigns).values(campaign);
      return { ...campaign, platforms: [...campaign.platforms] };
    },
    async getCampaign(userId, id) {
      const [row] = await db
        .select()
        .from(campaigns)
        .where(and(eq(campaigns.id, id), eq(campaigns.userId, userId)));
      return row ? toCampaign(row) : null;
    },
    async listCampaigns(userId, { limit, offset = 0, includeArchived }) {
      const rows = await db
        .select()
        .from(campaigns)
        .where(and(eq(campaigns.userId, userId), includeArchived ? undefined : isNull(campaigns.archivedAt)))
        .orderBy(desc(campaigns.createdAt), desc(campaigns.id))
        .limit(limit)
        .offset(offset);
      return rows.map(toCampaign);
    },
    async updateCampaign(userId, id, patch, now) {
      const [row] = await db
        .update(campaigns)
        .set({ ...definedOnly(patch), updatedAt: now })
        .where(and(eq(campaigns.id, id), eq(campaigns.userId, userId)))
        .returning();
      return row ? toCampaign(row) : null;
    },

    async createJob(job, chains) {
      const pool = postgresJsPoolOf(db);
      if (pool) {
        // Not postgres.js's begin() (drizzle's transaction): after an error it writes a rollback
        // to a connection the server may have dropped (see inPipelinedTransaction).
        const inserts = [db.insert(searchJobs).values(job), ...(chains.length ? [db.insert(searchChains).values(chains)] : [])];
        await inPipelinedTransaction(pool, (tx) => tx.send(inserts.map((q) => statementOf(q)), { commit: true }));
        return;
      }
      await db.transaction(async (tx) => {
        await tx.insert(searchJobs).values(job);
        if (chains.length) await tx.insert(searchChains).values(chains);
      });
    },
    async getJob(id, userId) {
      const [row] = await (userId === undefined ? statements.jobById.execute({ id }) : statements.jobOfUser.execute({ id, userId }));
      return row ? toJob(row) : null;
    },
    async listJobs(userId, { limit, offset = 0, campaignId, status }) {
      const rows = await db
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
        .offset(offset);
      return rows.map(toJob);
    },
    async listUnfinishedJobs({ limit, offset = 0 }) {
      const rows = await db
        .select()
        .from(searchJobs)
        .where(inArray(searchJobs.status, [...OPEN]))
        .orderBy(asc(searchJobs.createdAt), asc(searchJobs.id))
        .limit(limit)
        .offset(offset);
      return rows.map(toJob);
    },
    async listChains(jobId) {
      const rows = await statements.chainsOfJob.execute({ jobId });
      return rows.map(toChain);
    },

    async claimStep(req): Promise<ClaimStepResult> {
      const leaseExpiresAt = new Date(req.now.getTime() + req.leaseMs);
      const thisChain = and(eq(searchChains.jobId, req.jobId), eq(searchChains.key, req.chain));
      // The claim: one conditional update; a concurrent claimer blocks on the row lock, then
      // re-checks the condition against the committed row, so exactly one wins. The job comes
      // back in the same statement, read without a lock: a statement that held the chain's lock
      // while waiting for the job's would invert the commits' lock order (job, then chain).
      const [won] = await statements.claim.execute({ jobId: req.jobId, chain: req.chain, step: req.step, owner: req.owner, leaseExpiresAt, now: req.now });
      if (won) {
        const chain = toChain(won.chain as SearchChain);
        const page = won.page ? { jobId: req.jobId, chain: req.chain, step: req.step, raw: won.page.raw ?? null, fetchedAt: won.page.fetchedAt } : null;
        if (won.job.status !== "pending") return { status: "claimed", job: toJob(won.job), chain, page };
        // The job's first claim starts it, in a statement of its own (it only locks the job).
        const [started] = await statements.startJob.execute({ id: req.jobId, now: req.now });
        const job = started ?? (await statements.jobById.execute({ id: req.jobId }))[0];
        if (job && job.status === "processing") return { status: "claimed", job: toJob(job), chain, page };
        // Ended (cancelled, say) between the two statements: give the lease back.
        await releaseStep({ jobId: req.jobId, chain: req.chain, step: req.step, owner: req.owner });
        return { status: "done" };
      }

      // Lost (or nothing to claim): read the rows as they stand now, after any winner's commit
      // (the statement above read a snapshot taken before it waited on the winner's lock).
      const [[chain], [job]] = await Promise.all([
        db.select().from(searchChains).where(thisChain),
        db.select().from(searchJobs).where(eq(searchJobs.id, req.jobId)),
      ]);
      const live = job && !isTerminal(toJob(job).status) && chain && !chain.exhausted && chain.step === req.step;
      if (live && chain.leaseExpiresAt) return { status: "busy", leaseExpiresAt: chain.leaseExpiresAt };
      return { status: "done" };
    },
    releaseStep,
    async renewStep({ jobId, chain, step, owner, leaseMs, now }) {
      const renewed = await statements.renewStep.execute({ jobId, chain, step, owner, leaseExpiresAt: new Date(now.getTime() + leaseMs) });
      return renewed.length > 0;
    },

    async getPage(jobId, chain, step) {
      const [row] = await statements.pageByStep.execute({ jobId, chain, step });
      return row ? { ...row, raw: row.raw ?? null } : null;
    },
    async savePage(page) {
      await statements.insertPage.execute({ ...page });
    },
    async reserveApiCall(jobId, max) {
      const rows = await statements.reserveApiCall.execute({ id: jobId, max });
      return rows.length > 0;
    },

    async commitPage(req): Promise<CommitPageResult | null> {
      const passes = req.accepts ?? (() => true);
      // Every creator of the page goes in as new, skipping those the job already has; those are
      // then merged into their rows (see planCreatorWrites) and the job counted again.
      const rows = req.creators.map((c) => creatorColumns(req.jobId, c, req.now, !passes(c)));
      const pool = postgresJsPoolOf(db);
      try {
        if (pool) {
          return await inPipelinedTransaction(pool, async (tx) => {
            const [locked, , entries, advanced, stored, ...rest] = await tx.send(firstStatements(req, rows));
            const chains = rest.pop()!.map((r) => toChain(mapRow(searchChains, r)));
            const counted = rest.pop()!;
            const { done, plan } = planCommit(req, rows, {
              before: locked![0] && (mapRow(searchJobs, locked![0]) as JobRow),
              chain: advanced![0] && mapRow(searchChains, advanced![0]),
              inserted: new Set(rest.flat().map(creatorKey)),
              job: counted[0] && (mapRow(searchJobs, counted[0]) as JobRow),
              roster: entries as RawRosterRow[],
            }, stored!.map((r) => mapRow(creators, r)));
            const second = secondStatements(req, plan);
            if (!second.length) return { ...done, chains };
            const sent = await tx.send(second, { commit: true });
            const recounted = recounts(plan) && sent.at(dropPageOnCommit ? -2 : -1)![0]!;
            return recounted ? { ...done, chains, job: toJob(mapRow(searchJobs, recounted) as JobRow) } : { ...done, chains };
          });
        }
        return await db.transaction(async (tx): Promise<CommitPageResult | null> => {
          const first = await sendFirst(tx, req, rows);
          const stored = first.inserted.size === rows.length ? [] : await selectStored(tx, req.jobId, notInserted(req.creators, first.inserted));
          const { done, plan } = planCommit(req, rows, first, stored);
          const recounted = await sendSecond(tx, req, plan);
          const job = recounted ? toJob(recounted) : done.job;
          const chains = await tx.select().from(searchChains).where(eq(searchChains.jobId, req.jobId)).orderBy(searchChains.key);
          return { ...done, job, chains: chains.map(toChain) };
        });
      } catch (error) {
        if (error === REFUSED) return null;
        throw error;
      }
    },

    async finishJob(req): Promise<SearchJob | null> {
      const [row] = await db
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
        .returning();
      // A terminal job runs no step again. A failure here leaves pages that prunePages drops later.
      if (row && dropsPagesOnFinish(rawPages)) await statements.deletePagesOfJob.execute({ jobId: req.jobId }).catch(() => undefined);
      return row ? toJob(row) : null;
    },

    async prunePages({ now, dryRun, vacuum }) {
      const prunable = prunablePages(tables, rawPages, now, PG_PRUNE);
      const result = await db.transaction(async (tx) => {
        const counted = rowsOf<{ pages: string | number; bytes: string | number }>(await tx.execute(prunable.count))[0];
        const pages = Number(counted?.pages ?? 0);
        if (!dryRun && pages > 0) await tx.execute(prunable.delete);
        return { pages, bytes: Number(counted?.bytes ?? 0) };
      });
      if (vacuum && !dryRun) await db.execute(sql`vacuum ${searchPages}`);
      return result;
    },

    async listRoster(userId, campaignId, options) {
      return roster.list(db, userId, campaignId, options);
    },
    async getRosterEntries(userId, campaignId, ids) {
      return roster.get(db, userId, campaignId, ids);
    },
    async updateRosterEntries(userId, campaignId, ids, patch, now) {
      return db.transaction((tx) => roster.update(tx, userId, campaignId, ids, patch, now));
    },
    async findRosterKeys(campaignId, query) {
      return roster.findKeys(db, campaignId, query);
    },

    async listCreators(jobId, { after = 0, limit }): Promise<JobCreator[]> {
      const rows: Pick<CreatorRow, "seq" | "data" | "firstSeenAt">[] = await statements.creatorsPage.execute({ jobId, after, limit });
      return rows.map(toJobCreator);
    },

    close,
  };
  return adapter;
}
