import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Creator } from "@creatorsearch/core";
import { creatorFixture } from "@creatorsearch/test-utils/storage";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate as drizzleMigrate } from "drizzle-orm/better-sqlite3/migrator";
import { afterAll, expect, it } from "vitest";
import { sqliteStorage } from "../src/sqlite/index.js";

/*
 * A file written before campaign rosters (migrations up to 0002) gets one when it is opened:
 * every creator its campaigns' jobs admitted, once per account, with the latest figures, its
 * jobs as `foundBy`, and its identity and link keys.
 */
const dir = mkdtempSync(join(tmpdir(), "cs-sqlite-roster-migration-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const MIGRATIONS = fileURLToPath(new URL("../migrations/sqlite", import.meta.url));
const JOURNAL = JSON.parse(readFileSync(join(MIGRATIONS, "meta", "_journal.json"), "utf8")) as { entries: { tag: string }[] };
const BEFORE_ROSTER = JOURNAL.entries.findIndex((e) => e.tag === "0003_campaign_roster");

it("backfills the roster of every campaign from the creators its jobs admitted", async () => {
  expect(BEFORE_ROSTER).toBeGreaterThan(0);
  const folder = join(dir, "before-roster");
  cpSync(MIGRATIONS, folder, { recursive: true });
  writeFileSync(join(folder, "meta", "_journal.json"), JSON.stringify({ ...JOURNAL, entries: JOURNAL.entries.slice(0, BEFORE_ROSTER) }));
  const file = join(dir, "old.sqlite");
  const raw = new Database(file);
  drizzleMigrate(drizzle(raw), { migrationsFolder: folder });
  raw.exec(`insert into campaigns (id, user_id, name, search_type, status, platforms, created_at, updated_at)
            values ('c1', 'alice', 'Soups', 'keyword', 'active', '["tiktok"]', 1, 1)`);
  const job = raw.prepare(`insert into search_jobs (id, user_id, campaign_id, platform, mode, keywords, target_results, status, options, timeout_at, created_at, updated_at)
                           values (?, 'alice', 'c1', 'tiktok', 'keyword', '["soup"]', 10, 'completed', '{}', 1, ?, ?)`);
  job.run("j1", 1000, 1000);
  job.run("j2", 2000, 2000);
  const creator = raw.prepare(`insert into creators (job_id, platform, creator_id, handle, followers, matched_keywords, data, first_seen_at, excluded)
                               values (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const add = (jobId: string, c: Creator, at: number, excluded = false) =>
    creator.run(jobId, c.platform, c.id, c.handle, c.followers, JSON.stringify(c.matchedKeywords), JSON.stringify(c), at, excluded ? 1 : 0);
  const a: Creator = { ...creatorFixture("a", "soup", "tiktok"), handle: "Ana", links: [{ platform: "instagram", handle: "Ana.Cooks" }] };
  add("j1", a, 1000);
  add("j1", creatorFixture("b", "soup", "tiktok"), 1001, true); // excluded: never on the roster
  add("j2", { ...a, followers: 2500, matchedKeywords: ["bread"] }, 2000);
  add("j2", creatorFixture("c", "bread", "tiktok"), 2001);
  // The Instagram account `a` links to: both are marked linked, `c` is not.
  add("j2", { ...creatorFixture("ig", "bread", "instagram"), handle: "ana.cooks" }, 2002);
  raw.close();

  const storage = sqliteStorage({ file });
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
  // Jobs of before count no known creators; the roster goes on from the backfill.
  expect(await storage.getJob("j2")).toMatchObject({ skippedKnown: 0, processedResults: 0 });
  const [updated] = await storage.updateRosterEntries("alice", "c1", ["tiktok:c"], { status: "shortlisted" }, new Date(3000));
  expect(updated).toMatchObject({ id: "tiktok:c", status: "shortlisted" });
  await storage.close();
});
