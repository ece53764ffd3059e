import { and, count, eq, gt, inArray, isNull, or, sql } from "drizzle-orm";
import type { BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import type { SqliteTables, sqliteSchema } from "./schema.js";

type Db = BetterSQLite3Database<typeof sqliteSchema>;
const p = sql.placeholder;
/** A placeholder in an update's `set`, bound to the driver value as stored (epoch ms, 0/1). */
const stored = (name: string) => sql`${p(name)}`;

/**
 * The statements every job step runs, built and prepared once per database. Building a
 * drizzle query and preparing it in SQLite costs more than running it, and a step runs about
 * ten of them. better-sqlite3 has one connection, so these also run inside `db.transaction`.
 * `tables` are the storage's (prefixed) tables: the names are fixed when preparing.
 */
export function prepareStepStatements(db: Db, tables: SqliteTables) {
  const { creators, searchChains, searchJobs, searchPages } = tables;
  return {
    jobById: db.select().from(searchJobs).where(eq(searchJobs.id, p("id"))).prepare(),
    chainByKey: db
      .select()
      .from(searchChains)
      .where(and(eq(searchChains.jobId, p("jobId")), eq(searchChains.key, p("key"))))
      .prepare(),
    chainsOfJob: db.select().from(searchChains).where(eq(searchChains.jobId, p("jobId"))).orderBy(searchChains.key).prepare(),
    pageByStep: db
      .select()
      .from(searchPages)
      .where(and(eq(searchPages.jobId, p("jobId")), eq(searchPages.chain, p("chain")), eq(searchPages.step, p("step"))))
      .prepare(),
    insertPage: db
      .insert(searchPages)
      .values({ jobId: p("jobId"), chain: p("chain"), step: p("step"), raw: p("raw"), fetchedAt: p("fetchedAt") })
      .onConflictDoNothing()
      .prepare(),
    // Nothing is paid once the job is over or has its target: that page's creators would be extras.
    reserveApiCall: db
      .update(searchJobs)
      .set({ apiCalls: sql`${searchJobs.apiCalls} + 1` })
      .where(
        and(
          eq(searchJobs.id, p("id")),
          sql`${searchJobs.apiCalls} < ${p("max")}`,
          sql`${searchJobs.processedResults} < ${searchJobs.targetResults}`,
          inArray(searchJobs.status, ["pending", "processing"]),
        ),
      )
      .returning({ id: searchJobs.id })
      .prepare(),
    deletePage: db
      .delete(searchPages)
      .where(and(eq(searchPages.jobId, p("jobId")), eq(searchPages.chain, p("chain")), eq(searchPages.step, p("step"))))
      .prepare(),
    deletePagesOfJob: db.delete(searchPages).where(eq(searchPages.jobId, p("jobId"))).prepare(),
    creatorsPage: db
      .select({ seq: creators.seq, data: creators.data, firstSeenAt: creators.firstSeenAt })
      .from(creators)
      .where(and(eq(creators.jobId, p("jobId")), gt(creators.seq, p("after")), eq(creators.excluded, false), eq(creators.known, false)))
      .orderBy(creators.seq)
      .limit(p("limit"))
      .prepare(),
    // The page's ids go as one JSON array parameter, so one prepared statement serves any page size.
    seenCreators: db
      .select({
        seq: creators.seq,
        data: creators.data,
        firstSeenAt: creators.firstSeenAt,
        excluded: creators.excluded,
        creatorId: creators.creatorId,
      })
      .from(creators)
      .where(
        and(
          eq(creators.jobId, p("jobId")),
          eq(creators.platform, p("platform")),
          sql`${creators.creatorId} in (select value from json_each(${p("ids")}))`,
        ),
      )
      .prepare(),
    countCreators: db
      .select({
        n: count(),
        filtered: sql<number>`coalesce(sum(${creators.excluded}), 0)`,
        known: sql<number>`coalesce(sum(${creators.known}), 0)`,
      })
      .from(creators)
      .where(eq(creators.jobId, p("jobId")))
      .prepare(),
    // The claim: a conditional update (timestamps in conditions go as epoch ms, as stored).
    claimChain: db
      .update(searchChains)
      .set({ leaseOwner: stored("owner"), leaseExpiresAt: stored("leaseExpiresMs"), updatedAt: stored("nowMs") })
      .where(
        and(
          eq(searchChains.jobId, p("jobId")),
          eq(searchChains.key, p("key")),
          eq(searchChains.step, p("step")),
          eq(searchChains.exhausted, false),
          or(isNull(searchChains.leaseOwner), eq(searchChains.leaseOwner, p("owner")), sql`${searchChains.leaseExpiresAt} <= ${p("nowMs")}`),
          sql`exists (select 1 from ${searchJobs} where ${searchJobs.id} = ${p("jobId")} and ${searchJobs.status} in ('pending', 'processing'))`,
        ),
      )
      .returning()
      .prepare(),
    startJob: db
      .update(searchJobs)
      .set({ status: "processing", startedAt: stored("nowMs"), updatedAt: stored("nowMs") })
      .where(and(eq(searchJobs.id, p("id")), eq(searchJobs.status, "pending")))
      .returning()
      .prepare(),
    advanceChain: db
      .update(searchChains)
      .set({ step: stored("step"), cursor: stored("cursor"), exhausted: stored("exhausted"), leaseOwner: null, leaseExpiresAt: null, updatedAt: stored("nowMs") })
      .where(and(eq(searchChains.jobId, p("jobId")), eq(searchChains.key, p("key"))))
      .returning()
      .prepare(),
    // Counters come from the rows themselves (countCreators), never from adding up deltas.
    setCounters: db
      .update(searchJobs)
      .set({
        processedResults: stored("processedResults"),
        filtered: stored("filtered"),
        skippedKnown: stored("skippedKnown"),
        processedRuns: sql`${searchJobs.processedRuns} + 1`,
        dryPages: sql`case when ${p("newCreators")} > 0 then 0 else ${searchJobs.dryPages} + 1 end`,
        progress: stored("progress"),
        updatedAt: stored("nowMs"),
      })
      .where(eq(searchJobs.id, p("id")))
      .returning()
      .prepare(),
  };
}

export type StepStatements = ReturnType<typeof prepareStepStatements>;
