import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Creator } from "@creatorsearch/core";
import { creatorFixture } from "@creatorsearch/test-utils/storage";
import postgres from "postgres";
import { afterAll, expect, it } from "vitest";
import { postgresStorage } from "../src/pg/index.js";
import { PG_URL, describeWithPostgres, uniqueName } from "./support/postgres.js";

/*
 * A database written before campaign rosters gets one when a storage of this release opens it:
 * every creator its campaigns' jobs admitted, once per account, with the latest figures, its jobs
 * as `foundBy`, and its identity and link keys. The older schema is made by undoing the roster
 * migration (and those after it) of an up-to-date one, then filled as an older release would have.
 */
const describePg = await describeWithPostgres("pg-roster-migration");

// The migrations from the roster's (0004) on, undone to get a database of before it.
const JOURNAL = JSON.parse(readFileSync(fileURLToPath(new URL("../migrations/pg/meta/_journal.json", import.meta.url)), "utf8")) as { entries: { tag: string }[] };
const MIGRATIONS_SINCE = JOURNAL.entries.length - JOURNAL.entries.findIndex((e) => e.tag === "0004_campaign_roster");

describePg("migration 0004_campaign_roster", () => {
  const admin = postgres(PG_URL, { max: 2, onnotice: () => {} });
  const schema = uniqueName("cs_roster_mig");
  afterAll(async () => {
    await admin.unsafe(`drop schema if exists "${schema}" cascade`);
    await admin.end({ timeout: 5 });
  });

  it("backfills the roster of every campaign from the creators its jobs admitted", async () => {
    const fresh = postgresStorage({ url: PG_URL, schema });
    await fresh.ready();
    await fresh.close();
    const q = (name: string) => `"${schema}"."${name}"`;
    await admin.unsafe(`
      drop table ${q("campaign_creator_keys")}; drop table ${q("campaign_creators")};
      alter table ${q("creators")} drop column known; alter table ${q("search_jobs")} drop column skipped_known;
      create index "creators_job_id_excluded_seq_idx" on ${q("creators")} (job_id, excluded, seq);
      delete from ${q("__creatorsearch_migrations")} where created_at in (select created_at from ${q("__creatorsearch_migrations")} order by created_at desc limit ${MIGRATIONS_SINCE});`);
    await admin.unsafe(`insert into ${q("campaigns")} (id, user_id, name, search_type, status, platforms, created_at, updated_at)
      values ('c1', 'alice', 'Soups', 'keyword', 'active', '["tiktok"]', now(), now())`);
    for (const [id, at] of [["j1", 1000], ["j2", 2000]] as const) {
      await admin.unsafe(
        `insert into ${q("search_jobs")} (id, user_id, campaign_id, platform, mode, keywords, target_results, status, options, timeout_at, created_at, updated_at)
         values ($1, 'alice', 'c1', 'tiktok', 'keyword', '["soup"]', 10, 'completed', '{}', $2, $2, $2)`,
        [id, new Date(at).toISOString()],
      );
    }
    const add = (jobId: string, c: Creator, at: number, excluded = false) =>
      admin.unsafe(
        `insert into ${q("creators")} (job_id, platform, creator_id, handle, followers, matched_keywords, data, first_seen_at, excluded)
         values ($1, $9, $2, $3, $4, $5::text::jsonb, $6::text::jsonb, $7, $8)`,
        [jobId, c.id, c.handle, c.followers, JSON.stringify(c.matchedKeywords), JSON.stringify(c), new Date(at).toISOString(), excluded, c.platform],
      );
    const a: Creator = { ...creatorFixture("a", "soup", "tiktok"), handle: "Ana", links: [{ platform: "instagram", handle: "Ana.Cooks" }] };
    await add("j1", a, 1000);
    await add("j1", creatorFixture("b", "soup", "tiktok"), 1001, true); // excluded: never on the roster
    await add("j2", { ...a, followers: 2500, matchedKeywords: ["bread"] }, 2000);
    await add("j2", creatorFixture("c", "bread", "tiktok"), 2001);
    // The Instagram account `a` links to: both are marked linked, `c` is not.
    await add("j2", { ...creatorFixture("ig", "bread", "instagram"), handle: "ana.cooks" }, 2002);

    const storage = postgresStorage({ url: PG_URL, schema, migrate: false });
    expect(await storage.pendingMigrations()).toEqual(["0004_campaign_roster", "0005_roster_linked", "0006_results_index"]);
    expect(await storage.migrate()).toEqual(["0004_campaign_roster", "0005_roster_linked", "0006_results_index"]);
    const roster = await storage.listRoster("alice", "c1", { limit: 10 });
    expect(roster.map((e) => e.id)).toEqual(["tiktok:a", "tiktok:c", "instagram:ig"]);
    expect(roster.map((e) => e.linkedHint)).toEqual([true, false, true]);
    expect(roster[0]).toMatchObject({
      handle: "Ana",
      followers: 2500,
      status: "new",
      notes: null,
      tags: [],
      links: [{ platform: "instagram", handle: "Ana.Cooks" }],
      firstSeenAt: new Date(1000),
    });
    expect(roster[0]!.foundBy.map((s) => [s.jobId, s.inputs])).toEqual([
      ["j1", ["soup"]],
      ["j2", ["bread"]],
    ]);
    const keys = await storage.findRosterKeys("c1", {
    self: ["tiktok:@ana", "tiktok:#c", "tiktok:#b"],
    link: ["instagram:@ana.cooks"],
  });
    expect(keys.map((k) => `${k.id} ${k.kind} ${k.key}`).sort()).toEqual([
      "tiktok:a link instagram:@ana.cooks",
      "tiktok:a self tiktok:@ana",
      "tiktok:c self tiktok:#c",
    ]);
    expect(await storage.getJob("j2")).toMatchObject({ skippedKnown: 0 });
    const [updated] = await storage.updateRosterEntries("alice", "c1", ["tiktok:c"], { status: "shortlisted" }, new Date(3000));
    expect(updated).toMatchObject({ id: "tiktok:c", status: "shortlisted" });
    await storage.close();
  });
});
