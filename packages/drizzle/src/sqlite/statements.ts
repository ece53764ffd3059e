import { and, count, eq, gt, sql } from "drizzle-orm";
import type { BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import type { SqliteTables, sqliteSchema } from "./schema.js";

type Db = BetterSQLite3Database<typeof sqliteSchema>;
const p = sql.placeholder;

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
    reserveApiCall: db
      .update(searchJobs)
      .set({ apiCalls: sql`${searchJobs.apiCalls} + 1` })
      .where(and(eq(searchJobs.id, p("id")), sql`${searchJobs.apiCalls} < ${p("max")}`))
      .returning({ id: searchJobs.id })
      .prepare(),
    creatorsPage: db
      .select({ seq: creators.seq, data: creators.data, firstSeenAt: creators.firstSeenAt })
      .from(creators)
      .where(and(eq(creators.jobId, p("jobId")), gt(creators.seq, p("after")), eq(creators.excluded, false)))
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
      .select({ n: count(), filtered: sql<number>`coalesce(sum(${creators.excluded}), 0)` })
      .from(creators)
      .where(eq(creators.jobId, p("jobId")))
      .prepare(),
  };
}

export type StepStatements = ReturnType<typeof prepareStepStatements>;
