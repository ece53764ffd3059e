import postgres from "postgres";
import { afterAll, expect, it } from "vitest";
import { storedCreatorsStatement, updateCreatorsStatement } from "../src/pg/creator-statements.js";
import { postgresStorage } from "../src/pg/index.js";
import { pgRoster, statementOfSql } from "../src/pg/roster.js";
import type { RosterWrites } from "../src/shared/roster-plan.js";
import { PG_URL, describeWithPostgres, uniqueName } from "./support/postgres.js";

/*
 * A campaign and its jobs grow by thousands of rows in minutes, faster than autovacuum analyzes
 * them, so a commit's statements are planned with statistics of a much smaller table. Each
 * statement that looks up the page's creators or keys must still read only those: here the
 * statistics are taken while the tables are empty (autovacuum off), 20,000 rows are added, and
 * every such statement is run under EXPLAIN ANALYZE. A plan that hashes the page and reads the
 * whole campaign or job (what `in (select ...)` got) reads 20,000 rows and fails.
 */
const describePg = await describeWithPostgres("pg-stale-statistics");

const ROWS = 20_000;
const PAGE = 100;

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Actual Rows": number;
  "Actual Loops": number;
  Plans?: PlanNode[];
}

/** Rows read from each table by a plan's scans (rows out of each scan node, times its loops). */
function rowsRead(node: PlanNode, into = new Map<string, number>()): Map<string, number> {
  if (node["Relation Name"] && /Scan/.test(node["Node Type"])) {
    into.set(node["Relation Name"], (into.get(node["Relation Name"]) ?? 0) + node["Actual Rows"] * node["Actual Loops"]);
  }
  for (const child of node.Plans ?? []) rowsRead(child, into);
  return into;
}

describePg("Postgres commit statements with stale statistics", () => {
  const schema = uniqueName("cs_stale");
  const admin = postgres(PG_URL, { max: 1, onnotice: () => {} });
  // The statements' JSON parameters are text already, as the storage's own client sends them.
  for (const type of [114, 3802]) admin.options.serializers[type] = (value: unknown) => value;
  const storage = postgresStorage({ url: PG_URL, schema, max: 1 });
  afterAll(async () => {
    await storage.close();
    await admin.unsafe(`drop schema if exists "${schema}" cascade`);
    await admin.end({ timeout: 5 });
  });

  it("reads only the page's rows at 20,000 rows when the statistics were taken empty", async () => {
    await storage.ready();
    const t = (name: string) => `"${schema}"."${name}"`;
    for (const name of ["creators", "campaign_creators", "campaign_creator_keys"]) {
      await admin.unsafe(`alter table ${t(name)} set (autovacuum_enabled = false)`);
      await admin.unsafe(`analyze ${t(name)}`);
    }
    const at = new Date("2026-01-01T00:00:00Z");
    await storage.createCampaign({ id: "c1", userId: "u1", name: "stale", description: null, searchType: "keyword", status: "active", platforms: ["tiktok"], createdAt: at, updatedAt: at, archivedAt: null });
    await storage.createJob(
      {
        id: "j1", userId: "u1", campaignId: "c1", platform: "tiktok", mode: "keyword", keywords: ["soup"], targetHandle: null, targetResults: ROWS * 2,
        status: "pending", processedRuns: 0, processedResults: 0, filtered: 0, skippedKnown: 0, progress: 0, apiCalls: 0, dryPages: 0,
        stopReason: null, error: null, options: {}, timeoutAt: new Date(at.getTime() + 3_600_000), createdAt: at, updatedAt: at, startedAt: null, completedAt: null,
      },
      [],
    );
    const data = `'{"handle":"x"}'::jsonb`;
    await admin.unsafe(`insert into ${t("creators")} (job_id, platform, creator_id, handle, matched_keywords, data, first_seen_at)
      select 'j1', 'tiktok', 'c' || i, 'h' || i, '[]'::jsonb, ${data}, now() from generate_series(1, ${ROWS}) as i`);
    await admin.unsafe(`insert into ${t("campaign_creators")} (campaign_id, user_id, platform, creator_id, handle, data, tags, found_by, first_job_id, linked, first_seen_at, updated_at)
      select 'c1', 'u1', 'tiktok', 'c' || i, 'h' || i, ${data}, '[]'::jsonb, '[]'::jsonb, 'j1', false, now(), now() from generate_series(1, ${ROWS}) as i`);
    await admin.unsafe(`insert into ${t("campaign_creator_keys")} (campaign_id, key, entry_seq, kind)
      select 'c1', 'tiktok:@h' || (seq - (select min(seq) from ${t("campaign_creators")}) + 1), seq, 'self' from ${t("campaign_creators")}`);

    // A page of creators half of which the job and the campaign have; its keys, and those of the
    // other kind that link the new half to entries already there.
    const page = Array.from({ length: PAGE }, (_, i) => ({ platform: "tiktok", id: `c${ROWS - PAGE / 2 + i + 1}` }));
    const written = page.map((c, i) => ({ key: `tiktok:@h${ROWS - PAGE / 2 + i + 1}`, kind: "link" as const, c }));
    const planned: RosterWrites = { platform: "tiktok", insert: [], update: [], known: new Set(page.map((c) => c.id)) };
    for (const { key, c } of written.slice(PAGE / 2)) {
      planned.insert.push({
        row: {
          campaignId: "c1", userId: "u1", platform: "tiktok", creatorId: c.id, handle: c.id, name: null, followers: null, data: { handle: c.id }, status: "new",
          notes: null, tags: [], foundBy: [], firstJobId: "j1", linked: false, firstSeenAt: at, updatedAt: at,
        },
        keys: [{ key: `tiktok:@${c.id}`, kind: "self" }, { key: `tiktok:@h${Number(c.id.slice(1)) - PAGE}`, kind: "link" }],
      });
    }
    // The half the campaign has: their entries change, and so do their keys.
    const stored = await admin.unsafe<{ seq: string; creator_id: string }[]>(
      `select seq, creator_id from ${t("campaign_creators")} where creator_id = any($1::text[]) order by seq`,
      [page.slice(0, PAGE / 2).map((c) => c.id)],
    );
    for (const { seq, creator_id } of stored.slice(0, 10)) {
      planned.update.push({
        seq: Number(seq),
        row: { handle: creator_id, name: "changed", followers: 1, data: { handle: creator_id }, foundBy: [], updatedAt: at },
        keys: [{ key: `tiktok:@${creator_id}`, kind: "self" }],
      });
    }
    const jobRows = await admin.unsafe<{ seq: string; creator_id: string }[]>(
      `select seq, creator_id from ${t("creators")} where job_id = 'j1' and creator_id = any($1::text[]) order by seq limit 10`,
      [page.map((c) => c.id)],
    );
    const creatorUpdates = jobRows.map(({ seq, creator_id }) => ({
      seq: Number(seq),
      columns: {
        jobId: "j1", platform: "tiktok", creatorId: creator_id, handle: creator_id, followers: 1, engagementByFollowers: null, verified: null,
        matchedKeywords: [], data: { handle: creator_id }, firstSeenAt: at, excluded: false, known: false,
      },
    }));
    const roster = pgRoster(storage.tables);
    const statements = [
      { name: "the job's stored creators", ...storedCreatorsStatement(storage.tables, "j1", page.map((c) => ({ platform: c.platform, creatorId: c.id }))) },
      { name: "the campaign's entries", ...statementOfSql(roster.readEntries("j1", page)) },
      { name: "the job's merged creators", ...updateCreatorsStatement(storage.tables, creatorUpdates) },
      ...roster.writes("j1", "c1", [planned]).map((s, i) => ({ name: `roster write ${i}`, ...statementOfSql(s) })),
    ];
    // The reads, the job's updates; the new entries, the changed ones, their keys (deleted, then
    // written), the linked marks, the known marks.
    expect(statements.length).toBe(9);

    const reserved = await admin.reserve();
    try {
      await reserved.unsafe("begin");
      for (const { name, text, params } of statements) {
        const [row] = await reserved.unsafe(`explain (analyze, format json) ${text}`, params as never[]);
        const [{ Plan }] = row!["QUERY PLAN"] as [{ Plan: PlanNode }];
        for (const [table, rows] of rowsRead(Plan)) {
          expect(rows, `${name} reads ${rows} rows of ${table}\n${text}\n${JSON.stringify(Plan, null, 1)}`).toBeLessThanOrEqual(4 * PAGE);
        }
      }
    } finally {
      await reserved.unsafe("rollback");
      reserved.release();
    }
  });
});
