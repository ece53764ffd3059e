import { type RawPageRetention, prunePolicy } from "@creatorsearch/core";
import { type SQL, sql } from "drizzle-orm";
import type { AnySQLiteTable } from "drizzle-orm/sqlite-core";
import type { PgTable } from "drizzle-orm/pg-core";

type AnyTable = AnySQLiteTable | PgTable;

/** What differs between the dialects in {@link prunablePages}. */
export interface PruneDialect {
  /** Byte length of a stored text value. */
  bytes(column: SQL): SQL;
  /** A timestamp as the `fetched_at` column stores it. */
  time(date: Date): unknown;
}

/**
 * The raw pages `prunePages` may drop under `retention`, as a count (`pages`, `bytes`) and as a
 * delete, on either dialect. A page whose step may still run (its job is open and its chain
 * has not moved past it) is never among them. Written with `exists` rather than joins, so the
 * same condition serves the count and the delete.
 */
export function prunablePages(
  tables: { searchPages: AnyTable; searchJobs: AnyTable; searchChains: AnyTable },
  retention: RawPageRetention,
  now: Date,
  dialect: PruneDialect,
): { count: SQL; delete: SQL } {
  const { searchPages: pages, searchJobs: jobs, searchChains: chains } = tables;
  const { terminalOnly, fetchedBefore } = prunePolicy(retention, now);
  const jobOpen = sql`exists (select 1 from ${jobs} j where j.id = ${pages}.job_id and j.status in ('pending', 'processing'))`;
  const stepMayRun = sql`exists (select 1 from ${chains} c where c.job_id = ${pages}.job_id and c.key = ${pages}.chain and c.step <= ${pages}.step)`;
  const where = sql.join(
    [
      terminalOnly ? sql`not ${jobOpen}` : sql`(not ${jobOpen} or not ${stepMayRun})`,
      ...(fetchedBefore ? [sql`${pages}.fetched_at < ${dialect.time(fetchedBefore)}`] : []),
    ],
    sql` and `,
  );
  return {
    count: sql`select count(*) as pages, coalesce(sum(${dialect.bytes(sql`${pages}.raw`)}), 0) as bytes from ${pages} where ${where}`,
    delete: sql`delete from ${pages} where ${where}`,
  };
}
