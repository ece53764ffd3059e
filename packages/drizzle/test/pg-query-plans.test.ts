import type { Logger } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, expect, it } from "vitest";
import { postgresStorage } from "../src/pg/index.js";
import { PG_URL, describeWithPostgres, uniqueName } from "./support/postgres.js";
import { runEveryQuery } from "./support/query-workload.js";

/*
 * Every query the Postgres adapter sends, EXPLAINed with its own parameters: each must be able
 * to use an index (no sequential scan once the planner is told to avoid one, which it can only
 * do when an index serves the query), and the result-page query must stream in index order
 * (no sort: a sort would read every creator of the job before the first row comes out).
 */
const describePg = await describeWithPostgres("pg-query-plans");

describePg("Postgres query plans", () => {
  const schema = uniqueName("cs_plans");
  const client = postgres(PG_URL, { max: 1, onnotice: () => {} });
  const queries = new Map<string, unknown[]>();
  const logger: Logger = { logQuery: (query, params) => void queries.set(query, params) };
  afterAll(async () => {
    await client.unsafe(`drop schema if exists "${schema}" cascade`);
    await client.end({ timeout: 5 });
  });

  it("serves every query from an index, and result pages without a sort", async () => {
    const storage = postgresStorage({ db: drizzle(client, { logger }), schema });
    await storage.ready();
    queries.clear(); // the migration's own statements are not the adapter's queries
    await runEveryQuery(storage);
    const planned = [...queries].filter(([q]) => /^\s*(select|update|delete)\b/i.test(q) && /\bwhere\b/i.test(q));
    expect(planned.length).toBeGreaterThan(10);

    const reserved = await client.reserve();
    try {
      await reserved.unsafe("set enable_seqscan = off");
      let pages = 0;
      for (const [query, params] of planned) {
        const plan = (await reserved.unsafe(`explain ${query}`, params as never[])).map((r) => r["QUERY PLAN"]).join("\n");
        expect(plan, `${query}\n${plan}`).not.toMatch(/Seq Scan/);
        if (/from "[^"]+"\."creators".*order by/is.test(query)) {
          expect(plan, `${query}\n${plan}`).toMatch(/Index (Only )?Scan using creators_job_id_(excluded_known_)?seq_idx/);
          expect(plan, `${query}\n${plan}`).not.toMatch(/Sort/);
          pages += 1;
        }
      }
      expect(pages).toBeGreaterThan(0);
    } finally {
      reserved.release();
    }
    await storage.close();
  });
});
