import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigurationError } from "@creatorsearch/core";
import { campaignFixture, chainFixture, creatorsFixture, describeStorageConformance, jobFixture, sqlRawStorage } from "@creatorsearch/test-utils/storage";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate as drizzleMigrate } from "drizzle-orm/better-sqlite3/migrator";
import { afterAll, describe, expect, it } from "vitest";
import { createSqliteTables, migrate, sqliteSchema, sqliteStorage } from "../src/sqlite/index.js";

/*
 * `sqliteStorage({ tablePrefix })`: several storages in one file, each with its own tables,
 * indexes and migration journal; and files of releases before prefixes (drizzle's default
 * journal) migrating on.
 */
const dir = mkdtempSync(join(tmpdir(), "cs-sqlite-prefix-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const freshFile = () => join(dir, `db-${++n}.sqlite`);
const MIGRATIONS = fileURLToPath(new URL("../migrations/sqlite", import.meta.url));
const JOURNAL: { entries: { tag: string; when: number }[] } = JSON.parse(readFileSync(join(MIGRATIONS, "meta", "_journal.json"), "utf8"));
/** Tags of the shipped migrations, oldest first. */
const SHIPPED = JOURNAL.entries.map((e) => e.tag);
const LAST = SHIPPED.at(-1)!;

/** The names of the file's tables and indexes, sorted (SQLite's own ones left out). */
function objectsOf(file: string): { tables: string[]; indexes: string[] } {
  const raw = new Database(file, { readonly: true });
  const names = (type: string) =>
    raw.prepare("select name from sqlite_master where type = ? and name not like 'sqlite_%' order by name").pluck().all(type) as string[];
  const objects = { tables: names("table"), indexes: names("index") };
  raw.close();
  return objects;
}

/**
 * The file as an earlier release (no table prefixes) left it: drizzle's migrator, its default
 * `__drizzle_migrations` journal, and the first `count` shipped migrations only.
 */
function legacyFile(count: number): string {
  const folder = join(dir, `legacy-migrations-${count}`);
  if (!existsSync(folder)) {
    cpSync(MIGRATIONS, folder, { recursive: true });
    writeFileSync(join(folder, "meta", "_journal.json"), JSON.stringify({ ...JOURNAL, entries: JOURNAL.entries.slice(0, count) }));
  }
  const file = freshFile();
  const raw = new Database(file);
  drizzleMigrate(drizzle(raw), { migrationsFolder: folder });
  raw
    .prepare(
      "insert into campaigns (id, user_id, name, search_type, status, platforms, created_at, updated_at) values ('c1', 'alice', 'Old soups', 'keyword', 'active', '[\"tiktok\"]', 1, 1)",
    )
    .run();
  raw.close();
  return file;
}

const journalOf = (file: string, table: string) => {
  const raw = new Database(file, { readonly: true });
  const rows = raw.prepare(`select hash, created_at from "${table}" order by created_at`).all() as { hash: string; created_at: number }[];
  raw.close();
  return rows;
};

// The conformance suite on prefixed tables, in a file that also holds an unprefixed storage with
// a campaign and an unfinished job of the same ids and user the suite uses: any query that
// reached the wrong tables would see them.
describeStorageConformance("sqliteStorage (file, tablePrefix cs_, next to unprefixed tables)", {
  async open(options) {
    const file = freshFile();
    const neighbour = sqliteStorage({ file });
    const campaign = await neighbour.createCampaign(campaignFixture("c1", "alice"));
    await neighbour.createJob(jobFixture("j1", campaign), [chainFixture("j1", "soup")]);
    await neighbour.close();
    const storage = sqliteStorage({ file, tablePrefix: "cs_", ...options });
    const raw = new Database(file);
    raw.pragma("busy_timeout = 5000");
    return {
      storage,
      connect: () => sqliteStorage({ file, tablePrefix: "cs_", ...options }),
      raw: sqlRawStorage({
        query: async (text, params) => raw.prepare(text).all(...params) as Record<string, unknown>[],
        run: async (text, params) => raw.prepare(text).run(...params).changes,
        placeholder: () => "?",
        table: (name) => `"cs_${name}"`,
      }),
      dispose: () => {
        raw.close();
        rmSync(file, { force: true });
      },
    };
  },
});

describe("sqliteStorage({ tablePrefix })", () => {
  it("creates prefixed tables, indexes and journal, and nothing unprefixed", async () => {
    const file = freshFile();
    const storage = sqliteStorage({ file, tablePrefix: "app_" });
    expect(storage.tablePrefix).toBe("app_");
    await storage.close();
    const { tables, indexes } = objectsOf(file);
    expect(tables).toEqual([
      "app___creatorsearch_migrations",
      "app_campaign_creator_keys",
      "app_campaign_creators",
      "app_campaigns",
      "app_creators",
      "app_search_chains",
      "app_search_jobs",
      "app_search_pages",
    ]);
    expect(indexes).toEqual([
      "app_campaign_creator_keys_entry_seq_idx",
      "app_campaign_creators_campaign_id_platform_creator_id_uq",
      "app_campaign_creators_campaign_id_seq_idx",
      "app_campaign_creators_campaign_id_status_seq_idx",
      "app_campaigns_user_id_created_at_idx",
      "app_creators_job_id_excluded_known_seq_idx",
      "app_creators_job_id_platform_creator_id_uq",
      "app_creators_job_id_seq_idx",
      "app_search_jobs_campaign_id_idx",
      "app_search_jobs_status_created_at_idx",
      "app_search_jobs_user_id_created_at_idx",
    ]);
    // The foreign keys point at the prefixed tables too.
    const raw = new Database(file, { readonly: true });
    const parents = raw.prepare("select distinct \"table\" from pragma_foreign_key_list('app_creators')").pluck().all();
    expect(parents).toEqual(["app_search_jobs"]);
    raw.close();
  });

  it("keeps two prefixes in one file apart: a job in one is invisible in the other", async () => {
    const file = freshFile();
    const a = sqliteStorage({ file, tablePrefix: "a_" });
    const b = sqliteStorage({ file, tablePrefix: "b_" });
    const plain = sqliteStorage({ file });
    const campaign = await a.createCampaign(campaignFixture("c1", "alice"));
    await a.createJob(jobFixture("j1", campaign), [chainFixture("j1", "soup")]);

    expect(await a.getJob("j1", "alice")).toMatchObject({ id: "j1", status: "pending" });
    for (const other of [b, plain]) {
      expect(await other.getJob("j1")).toBeNull();
      expect(await other.getCampaign("alice", "c1")).toBeNull();
      expect(await other.listJobs("alice", { limit: 10 })).toEqual([]);
      expect(await other.listUnfinishedJobs({ limit: 10 })).toEqual([]);
      expect(await other.listChains("j1")).toEqual([]);
    }

    // The same ids in `b_` are another campaign and job, with a step of their own.
    const other = await b.createCampaign(campaignFixture("c1", "alice", { name: "Other" }));
    await b.createJob(jobFixture("j1", other, { targetResults: 7 }), [chainFixture("j1", "soup")]);
    const now = new Date("2026-01-01T00:00:01Z");
    const claim = { jobId: "j1", chain: "soup", step: 0, leaseMs: 60_000, now };
    expect((await a.claimStep({ ...claim, owner: "wa" })).status).toBe("claimed");
    expect((await b.claimStep({ ...claim, owner: "wb" })).status).toBe("claimed"); // not "busy": another table
    expect((await a.getJob("j1"))!.targetResults).not.toBe(7);
    expect((await b.getJob("j1"))!.targetResults).toBe(7);
    expect((await b.getCampaign("alice", "c1"))!.name).toBe("Other");

    // Creators go to the prefix's own table, through its prepared statements.
    const committed = await a.commitPage({ jobId: "j1", chain: "soup", step: 0, owner: "wa", creators: creatorsFixture("soup", "u1"), nextCursor: "x", exhausted: false, now });
    expect(committed?.job.processedResults).toBe(1);
    expect(await a.listCreators("j1", { limit: 10 })).toHaveLength(1);
    expect(await b.listCreators("j1", { limit: 10 })).toEqual([]);
    expect(a.db.select().from(a.tables.creators).all()).toHaveLength(1);
    expect(b.db.select().from(b.tables.creators).all()).toEqual([]);

    // SQLite names ignore case: "A_" is "a_", already migrated.
    const upper = sqliteStorage({ file, tablePrefix: "A_", migrate: false });
    expect(await upper.pendingMigrations()).toEqual([]);
    expect(await upper.listCreators("j1", { limit: 10 })).toHaveLength(1);
    const upperMigrating = sqliteStorage({ file, tablePrefix: "A_" });
    expect(await upperMigrating.migrate()).toEqual([]);

    for (const s of [a, b, plain, upper, upperMigrating]) await s.close();
  });

  it("migrates each prefix on its own journal; pendingMigrations and the older-schema error are per prefix", async () => {
    const file = freshFile();
    const a = sqliteStorage({ file, tablePrefix: "a_" });
    expect(await a.pendingMigrations()).toEqual([]);

    // `b_` has not been migrated although `a_` has, in the same file.
    const b = sqliteStorage({ file, tablePrefix: "b_", migrate: false });
    expect(await b.pendingMigrations()).toEqual(SHIPPED);
    await expect(b.ready()).rejects.toThrow(ConfigurationError);
    await expect(b.ready()).rejects.toThrow(
      `(table prefix "b_") is on an older schema version: missing migration${SHIPPED.length > 1 ? "s" : ""} ${SHIPPED.join(", ")}.`,
    );
    expect(await migrate(b)).toEqual(SHIPPED);
    expect(await migrate(b)).toEqual([]);
    expect(await b.getCampaign("alice", "c1")).toBeNull();

    // `a_` as an older release left it: its newest migration undone. `b_` stays up to date.
    await a.close();
    const raw = new Database(file);
    raw.exec(
      `delete from a___creatorsearch_migrations where created_at = (select max(created_at) from a___creatorsearch_migrations);
       drop index a_creators_job_id_excluded_known_seq_idx;
       create index a_creators_job_id_excluded_seq_idx on a_creators (job_id, excluded, seq);`,
    );
    raw.close();
    const olderA = sqliteStorage({ file, tablePrefix: "a_", migrate: false });
    expect(await olderA.pendingMigrations()).toEqual([LAST]);
    expect(await b.pendingMigrations()).toEqual([]);
    await expect(olderA.ready()).rejects.toThrow(`(table prefix "a_") is on an older schema version: missing migration ${LAST}.`);
    expect(await olderA.migrate()).toEqual([LAST]);
    await olderA.ready();
    await olderA.close();
    await b.close();

    expect(journalOf(file, "a___creatorsearch_migrations")).toEqual(journalOf(file, "b___creatorsearch_migrations"));
    expect(journalOf(file, "a___creatorsearch_migrations")).toHaveLength(SHIPPED.length);
    expect(objectsOf(file).indexes).toContain("a_campaign_creators_campaign_id_seq_idx");
    expect(objectsOf(file).tables).not.toContain("__drizzle_migrations");
  });

  it("refuses an invalid prefix at once with a ConfigurationError, before touching the file", () => {
    const file = freshFile();
    for (const bad of ["bad-prefix", "1cs_", "cs ", "cs.", 'cs"', "é_", "x".repeat(21)]) {
      expect(() => sqliteStorage({ file, tablePrefix: bad })).toThrow(ConfigurationError);
    }
    expect(() => sqliteStorage({ file, tablePrefix: "bad-prefix" })).toThrow(
      'Invalid tablePrefix "bad-prefix": letters, digits and underscores expected, not starting with a digit',
    );
    expect(() => sqliteStorage({ file, tablePrefix: "x".repeat(21) })).toThrow(/Invalid tablePrefix "x+": at most 20 characters/);
    expect(() => sqliteStorage({ file, tablePrefix: 42 as never })).toThrow('Invalid tablePrefix 42: a string expected');
    expect(existsSync(file)).toBe(false);
  });

  it("works with your own drizzle database and in memory", async () => {
    const raw = new Database(":memory:");
    const storage = sqliteStorage({ db: drizzle(raw, { schema: sqliteSchema }), tablePrefix: "cs_" });
    await storage.createCampaign(campaignFixture("c1", "alice"));
    await storage.close();
    expect(raw.prepare("select count(*) from cs_campaigns").pluck().get()).toBe(1);
    raw.close();

    const memory = sqliteStorage({ file: ":memory:", tablePrefix: "cs_" });
    await memory.createCampaign(campaignFixture("c1", "alice"));
    expect(await memory.getCampaign("alice", "c1")).toEqual(campaignFixture("c1", "alice"));
    await memory.close();
  });

  it("createSqliteTables builds the tables of a prefix; the exported tables stay unprefixed", async () => {
    const { getTableName } = await import("drizzle-orm");
    const tables = createSqliteTables("cs_");
    expect(Object.values(tables).map(getTableName)).toEqual([
      "cs_campaigns",
      "cs_search_jobs",
      "cs_search_chains",
      "cs_search_pages",
      "cs_creators",
      "cs_campaign_creators",
      "cs_campaign_creator_keys",
    ]);
    expect(Object.values(sqliteSchema).map(getTableName)).toEqual([
      "campaigns",
      "search_jobs",
      "search_chains",
      "search_pages",
      "creators",
      "campaign_creators",
      "campaign_creator_keys",
    ]);
    expect(sqliteStorage({ file: ":memory:" }).tables).toBe(sqliteSchema);
  });
});

describe("files of earlier releases (drizzle's __drizzle_migrations journal)", () => {
  it("opens a file one migration behind and applies that migration only", async () => {
    const file = legacyFile(SHIPPED.length - 1);
    const legacyJournal = journalOf(file, "__drizzle_migrations");
    expect(legacyJournal).toHaveLength(SHIPPED.length - 1);

    const checking = sqliteStorage({ file, migrate: false });
    expect(await checking.pendingMigrations()).toEqual([LAST]);
    await expect(checking.ready()).rejects.toThrow(`is on an older schema version: missing migration ${LAST}.`);
    expect(objectsOf(file).tables).not.toContain("__creatorsearch_migrations"); // the check is read-only
    expect(await migrate(checking)).toEqual([LAST]); // 0000_init again would fail: "table already exists"
    await checking.close();

    const storage = sqliteStorage({ file });
    expect(await storage.pendingMigrations()).toEqual([]);
    expect(await storage.getCampaign("alice", "c1")).toMatchObject({ name: "Old soups" });
    await storage.close();

    // Our journal took over the old entries as they were, and added the new one.
    const journal = journalOf(file, "__creatorsearch_migrations");
    expect(journal.slice(0, -1)).toEqual(legacyJournal);
    expect(journal.map((r) => r.created_at)).toEqual(JOURNAL.entries.map((e) => e.when));
    expect(journalOf(file, "__drizzle_migrations")).toEqual(legacyJournal); // left as it was
    expect(objectsOf(file).indexes).toContain("campaign_creators_campaign_id_seq_idx");
  });

  it("opens an up-to-date file of an earlier release without applying anything", async () => {
    const file = legacyFile(SHIPPED.length);
    const checking = sqliteStorage({ file, migrate: false });
    await checking.ready();
    expect(await checking.pendingMigrations()).toEqual([]);
    await checking.close();

    const storage = sqliteStorage({ file, migrate: false });
    expect(await storage.migrate()).toEqual([]);
    expect(await storage.getCampaign("alice", "c1")).toMatchObject({ name: "Old soups" });
    await storage.close();
    expect(journalOf(file, "__creatorsearch_migrations")).toEqual(journalOf(file, "__drizzle_migrations"));
  });

  it("takes over only our entries of a shared __drizzle_migrations, and leaves it to prefixed storages", async () => {
    // The application's own drizzle migration, newer than ours, in the same default journal.
    const file = legacyFile(SHIPPED.length - 1);
    const raw = new Database(file);
    raw.prepare("insert into __drizzle_migrations (hash, created_at) values ('app', ?)").run(Date.now() + 86_400_000);
    raw.close();

    // A prefixed storage in that file starts from scratch, on its own journal.
    const prefixed = sqliteStorage({ file, tablePrefix: "cs_", migrate: false });
    expect(await prefixed.pendingMigrations()).toEqual(SHIPPED);
    expect(await prefixed.migrate()).toEqual(SHIPPED);
    expect(await prefixed.getCampaign("alice", "c1")).toBeNull();
    await prefixed.close();

    // The unprefixed one is one migration behind, whatever the application recorded.
    const storage = sqliteStorage({ file, migrate: false });
    expect(await storage.pendingMigrations()).toEqual([LAST]);
    expect(await storage.migrate()).toEqual([LAST]);
    await storage.close();
    expect(journalOf(file, "__creatorsearch_migrations").map((r) => r.hash)).not.toContain("app");
    expect(journalOf(file, "__drizzle_migrations").map((r) => r.hash)).toContain("app");
  });
});
