import { type Column, Param, type SQL, and, eq, exists, fillPlaceholders, getTableColumns, gt, inArray, isNull, or, sql } from "drizzle-orm";
import type { PgTables } from "./schema.js";
import type { PostgresDatabase } from "./storage.js";

const p = sql.placeholder;
/**
 * A placeholder compared with `column`, encoded as the column stores it. drizzle encodes the
 * placeholders of `set` and `values` itself, not those of conditions: a `Date` must still go
 * to Postgres as an ISO string.
 */
const as = (name: string, column: Column) => new Param(p(name), column);
/** The same as a value of `set` (where drizzle's types accept no bare placeholder). */
export const bound = (name: string, column: Column): SQL => sql`${as(name, column)}`;

const OPEN = ["pending", "processing"] as const;

/** The chain's step as held by `owner` (placeholders `jobId`, `chain`, `step`, `owner`): what a release or a commit may touch. */
const heldStep = ({ searchChains }: PgTables) =>
  and(
    eq(searchChains.jobId, p("jobId")),
    eq(searchChains.key, p("chain")),
    eq(searchChains.step, p("step")),
    eq(searchChains.leaseOwner, p("owner")),
  );

/** A job's chains by key (placeholder `jobId`): what `listChains` reads, and what a commit returns. */
const chainsOfJobQuery = (db: PostgresDatabase, { searchChains }: PgTables) =>
  db.select().from(searchChains).where(eq(searchChains.jobId, p("jobId"))).orderBy(searchChains.key);

// node-postgres keeps prepared statements per connection by name: two storages of one process
// (two schemas, say) must not give different texts the same name.
let storages = 0;

/** A statement's text and parameters, placeholders and all: filled per call, built once. */
export interface StatementTemplate {
  text: string;
  fill(values: Record<string, unknown>): { text: string; params: unknown[] };
}

function templateOf(query: { toSQL(): { sql: string; params: unknown[] } }): StatementTemplate {
  const { sql: text, params } = query.toSQL();
  return { text, fill: (values) => ({ text, params: fillPlaceholders(params, values) }) };
}

/**
 * The statements every job step runs (and the results page that pollers ask for), built once
 * per storage: building a drizzle query costs
 * about as much CPU as Postgres spends running these, and a step runs about eight of them. The
 * ones run on the pool are drizzle prepared queries (postgres.js and node-postgres then also
 * plan each once per connection); the page commit's run in a transaction, so they are templates
 * that the commit sends through the transaction's connection (see fast-path.ts).
 */
export function prepareStepStatements(db: PostgresDatabase, tables: PgTables) {
  const { creators, searchChains, searchJobs, searchPages } = tables;
  const id = ++storages;
  const name = (what: string) => `creatorsearch_${id}_${what}`;
  const jobIsOpen = exists(
    db
      .select({ one: sql`1` })
      .from(searchJobs)
      .where(and(eq(searchJobs.id, p("jobId")), inArray(searchJobs.status, [...OPEN]))),
  );
  const claimed = db.$with("claimed").as(
    db
      .update(searchChains)
      .set({ leaseOwner: bound("owner", searchChains.leaseOwner), leaseExpiresAt: bound("leaseExpiresAt", searchChains.leaseExpiresAt), updatedAt: bound("now", searchChains.updatedAt) })
      .where(
        and(
          eq(searchChains.jobId, p("jobId")),
          eq(searchChains.key, p("chain")),
          eq(searchChains.step, p("step")),
          eq(searchChains.exhausted, false),
          or(isNull(searchChains.leaseOwner), eq(searchChains.leaseOwner, p("owner")), sql`${searchChains.leaseExpiresAt} <= ${as("now", searchChains.leaseExpiresAt)}`),
          jobIsOpen,
        ),
      )
      .returning(),
  );

  return {
    jobById: db.select().from(searchJobs).where(eq(searchJobs.id, p("id"))).prepare(name("job")),
    jobOfUser: db
      .select()
      .from(searchJobs)
      .where(and(eq(searchJobs.id, p("id")), eq(searchJobs.userId, p("userId"))))
      .prepare(name("job_of_user")),
    chainsOfJob: chainsOfJobQuery(db, tables).prepare(name("chains")),
    // The claim: one conditional update, and the job read (without a lock) in the same statement.
    // The step's raw page comes with it (stored only when an earlier delivery fetched it).
    claim: db
      .with(claimed)
      .select({ chain: claimed._.selectedFields, job: getTableColumns(searchJobs), page: { raw: searchPages.raw, fetchedAt: searchPages.fetchedAt } })
      .from(claimed)
      .innerJoin(searchJobs, eq(searchJobs.id, p("jobId")))
      .leftJoin(searchPages, and(eq(searchPages.jobId, p("jobId")), eq(searchPages.chain, p("chain")), eq(searchPages.step, p("step"))))
      .prepare(name("claim")),
    startJob: db
      .update(searchJobs)
      .set({ status: "processing", startedAt: bound("now", searchJobs.startedAt), updatedAt: bound("now", searchJobs.updatedAt) })
      .where(and(eq(searchJobs.id, p("id")), eq(searchJobs.status, "pending")))
      .returning()
      .prepare(name("start_job")),
    releaseStep: db
      .update(searchChains)
      .set({ leaseOwner: null, leaseExpiresAt: null })
      .where(heldStep(tables))
      .prepare(name("release")),
    renewStep: db
      .update(searchChains)
      .set({ leaseExpiresAt: bound("leaseExpiresAt", searchChains.leaseExpiresAt) })
      .where(heldStep(tables))
      .returning({ step: searchChains.step })
      .prepare(name("renew")),
    pageByStep: db
      .select()
      .from(searchPages)
      .where(and(eq(searchPages.jobId, p("jobId")), eq(searchPages.chain, p("chain")), eq(searchPages.step, p("step"))))
      .prepare(name("page")),
    insertPage: db
      .insert(searchPages)
      .values({ jobId: p("jobId"), chain: p("chain"), step: p("step"), raw: p("raw"), fetchedAt: p("fetchedAt") })
      .onConflictDoNothing()
      .prepare(name("save_page")),
    // A results page: walks (job_id, excluded, seq) in order and stops after `limit` rows.
    creatorsPage: db
      .select({ seq: creators.seq, data: creators.data, firstSeenAt: creators.firstSeenAt })
      .from(creators)
      .where(and(eq(creators.jobId, p("jobId")), gt(creators.seq, p("after")), eq(creators.excluded, false), eq(creators.known, false)))
      .orderBy(creators.seq)
      .limit(p("limit"))
      .prepare(name("creators_page")),
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
      .prepare(name("reserve_call")),
    deletePagesOfJob: db.delete(searchPages).where(eq(searchPages.jobId, p("jobId"))).prepare(name("drop_job_pages")),
  };
}

/**
 * The page commit's statements on postgres.js, as templates: the job lock, the chain advance
 * (conditioned on the claim and on the job processing), the recount after the page's inserts,
 * or with the page counters given (after a merge), and the drop of the step's raw page. `recount` is the update of storage.ts, built
 * here with placeholders.
 */
export function commitTemplates(
  db: PostgresDatabase,
  tables: PgTables,
  recount: (page: "this page" | { processedRuns: SQL; dryPages: SQL }) => { toSQL(): { sql: string; params: unknown[] } },
) {
  const { searchChains, searchJobs, searchPages } = tables;
  const advance = (exhausted: boolean) =>
    templateOf(
      db
        .update(searchChains)
        .set({
          step: bound("nextStep", searchChains.step),
          // An exhausted chain keeps its last cursor.
          ...(exhausted ? {} : { cursor: bound("cursor", searchChains.cursor) }),
          exhausted,
          leaseOwner: null,
          leaseExpiresAt: null,
          updatedAt: bound("now", searchChains.updatedAt),
        })
        .where(
          and(
            heldStep(tables),
            exists(
              db
                .select({ one: sql`1` })
                .from(searchJobs)
                .where(and(eq(searchJobs.id, p("jobId")), eq(searchJobs.status, "processing"))),
            ),
          ),
        )
        .returning(),
    );
  return {
    lock: templateOf(db.select().from(searchJobs).where(eq(searchJobs.id, p("jobId"))).for("no key update")),
    chains: templateOf(chainsOfJobQuery(db, tables)),
    advance: advance(false),
    advanceToEnd: advance(true),
    recountPage: templateOf(recount("this page")),
    // After a merge: the page counters as computed from the locked row.
    recountExact: templateOf(recount({ processedRuns: bound("processedRuns", searchJobs.processedRuns), dryPages: bound("dryPages", searchJobs.dryPages) })),
    // The step's raw page, dropped by its commit when the retention is "until-committed".
    dropPage: templateOf(
      db.delete(searchPages).where(and(eq(searchPages.jobId, p("jobId")), eq(searchPages.chain, p("chain")), eq(searchPages.step, p("step")))),
    ),
  };
}

export type PgStepStatements = ReturnType<typeof prepareStepStatements>;
export type PgCommitTemplates = ReturnType<typeof commitTemplates>;
