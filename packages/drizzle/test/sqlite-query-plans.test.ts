import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { Logger } from "drizzle-orm";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { afterAll, expect, it } from "vitest";
import { sqliteStorage } from "../src/sqlite/index.js";
import { sqliteSchema } from "../src/sqlite/schema.js";
import { runEveryQuery } from "./support/query-workload.js";

/*
 * Every query the SQLite adapter sends, through EXPLAIN QUERY PLAN with its own parameters: no
 * full table scan, the result-page query walks an index in order (no temporary sort, which
 * would read every creator of the job before the first row), and the recount of every commit
 * reads that index alone, never the creators' rows and their JSON.
 */
const dir = mkdtempSync(join(tmpdir(), "cs-sqlite-plans-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("serves every SQLite query from an index, and result pages without a sort", async () => {
  const sqlite = new Database(join(dir, "plans.db"));
  const queries = new Map<string, unknown[]>();
  const logger: Logger = { logQuery: (query, params) => void queries.set(query, params) };
  const storage = sqliteStorage({ db: drizzle(sqlite, { schema: sqliteSchema, logger }) });
  queries.clear(); // the migration's own statements are not the adapter's queries
  await runEveryQuery(storage);
  const planned = [...queries].filter(([q]) => /^\s*(select|update|delete)\b/i.test(q) && /\bwhere\b/i.test(q));
  expect(planned.length).toBeGreaterThan(10);
  let pages = 0;
  let recounts = 0;
  for (const [query, params] of planned) {
    const plan = (sqlite.prepare(`explain query plan ${query}`).all(...params) as { detail: string }[]).map((r) => r.detail).join("\n");
    expect(plan, `${query}\n${plan}`).not.toMatch(/^SCAN \S+$/m); // a scan of the whole table
    if (/from "creators".*order by/is.test(query)) {
      expect(plan, `${query}\n${plan}`).toMatch(/creators_job_id_(excluded_known_)?seq_idx|INTEGER PRIMARY KEY/);
      expect(plan, `${query}\n${plan}`).not.toMatch(/TEMP B-TREE/);
      pages += 1;
    }
    if (/^select count\(\*\).*from "creators"/is.test(query)) {
      expect(plan, `${query}\n${plan}`).toMatch(/USING COVERING INDEX creators_job_id_excluded_known_seq_idx/);
      recounts += 1;
    }
  }
  expect(pages).toBeGreaterThan(0);
  expect(recounts).toBeGreaterThan(0);
  await storage.close();
  sqlite.close();
});
