import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigurationError, parseJsonKeepingText } from "@creatorsearch/core";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { campaignFixture, chainFixture, describeStorageConformance, jobFixture, sqlRawStorage } from "@creatorsearch/test-utils/storage";
import { migrate, sqliteStorage } from "../src/sqlite/index.js";

const dir = mkdtempSync(join(tmpdir(), "cs-sqlite-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
/** Tags of the shipped migrations, oldest first. */
const SHIPPED: string[] = JSON.parse(readFileSync(new URL("../migrations/sqlite/meta/_journal.json", import.meta.url), "utf8")).entries.map(
  (e: { tag: string }) => e.tag,
);
const freshFile = () => join(dir, `db-${++n}.sqlite`);

// A real file per test, as users run it; peers are other connections to the same file, and the
// raw side channel is a plain better-sqlite3 connection of its own.
describeStorageConformance("sqliteStorage (file)", {
  open: (options) => {
    const file = freshFile();
    const storage = sqliteStorage({ file, ...options });
    const raw = new Database(file);
    raw.pragma("busy_timeout = 5000");
    return {
      storage,
      connect: () => sqliteStorage({ file, ...options }),
      raw: sqlRawStorage({
        query: async (text, params) => raw.prepare(text).all(...params) as Record<string, unknown>[],
        run: async (text, params) => raw.prepare(text).run(...params).changes,
        placeholder: () => "?",
        table: (name) => `"${name}"`,
      }),
      dispose: () => {
        raw.close();
        rmSync(file, { force: true });
      },
    };
  },
});

describe("sqliteStorage raw pages on disk", () => {
  const pragma = (file: string, name: string) => {
    const db = new Database(file, { readonly: true });
    try {
      return db.pragma(name, { simple: true }) as number;
    } finally {
      db.close();
    }
  };

  it("a new file gives the space of dropped raw pages back when the job ends", async () => {
    const file = freshFile();
    const storage = sqliteStorage({ file });
    expect(pragma(file, "auto_vacuum")).toBe(2); // incremental
    const campaign = await storage.createCampaign(campaignFixture("c1", "alice"));
    await storage.createJob(jobFixture("j1", campaign), [chainFixture("j1", "soup")]);
    const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms);
    for (let step = 0; step < 3; step++) {
      const claim = await storage.claimStep({ jobId: "j1", chain: "soup", step, owner: "w1", leaseMs: 60_000, now: at(step) });
      expect(claim.status).toBe("claimed");
      // ~2 MB of hard-to-compress text, as a real page's signed URLs are.
      const raw = { pad: Array.from({ length: 2000 }, () => crypto.randomUUID().repeat(28)).join("") };
      await storage.savePage({ jobId: "j1", chain: "soup", step, raw, fetchedAt: at(step) });
      await storage.commitPage({ jobId: "j1", chain: "soup", step, owner: "w1", creators: [], nextCursor: String(step + 1), exhausted: false, now: at(step) });
    }
    expect(pragma(file, "freelist_count")).toBeGreaterThan(400); // dropped pages, kept for reuse
    await storage.finishJob({ jobId: "j1", status: "completed", stopReason: "exhausted", now: at(10) });
    expect(pragma(file, "freelist_count")).toBe(0);
    await storage.close(); // checkpoints the WAL into the file
    expect(statSync(file).size).toBeLessThan(200_000);
  });

  it("prunePages({ vacuum: true }) moves a file made before incremental auto-vacuum to it", async () => {
    const file = freshFile();
    const old = new Database(file);
    old.pragma("journal_mode = WAL"); // auto_vacuum stays NONE, as in files made by earlier releases
    old.close();
    const storage = sqliteStorage({ file });
    expect(pragma(file, "auto_vacuum")).toBe(0);
    expect(await storage.prunePages({ now: new Date(), vacuum: true })).toEqual({ pages: 0, bytes: 0 });
    expect(pragma(file, "auto_vacuum")).toBe(2);
    await storage.close();
  });
});

describe("sqliteStorage", () => {
  it("creates the file and its folder, in WAL mode, with the migrations applied", async () => {
    const file = join(dir, "nested", "deeper", "cs.db");
    const storage = sqliteStorage({ file });
    await storage.close();
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
    const tables = raw.prepare("select name from sqlite_master where type = 'table' order by name").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(["campaigns", "creators", "search_chains", "search_jobs", "search_pages"]));
    raw.close();
  });

  it("keeps data across reopen, and migrating twice is a no-op", async () => {
    const file = freshFile();
    const first = sqliteStorage({ file });
    await first.createCampaign(campaignFixture("c1", "alice"));
    await first.close();
    const second = sqliteStorage({ file });
    expect(await second.getCampaign("alice", "c1")).toEqual(campaignFixture("c1", "alice"));
    await second.close();
  });

  it("sees another connection's writes and honours its leases (two processes on one file)", async () => {
    const file = freshFile();
    const a = sqliteStorage({ file });
    const b = sqliteStorage({ file });
    const campaign = await a.createCampaign(campaignFixture("c1", "alice"));
    await a.createJob(jobFixture("j1", campaign), [chainFixture("j1", "soup")]);
    const now = new Date("2026-01-01T00:00:01Z");
    expect((await a.claimStep({ jobId: "j1", chain: "soup", step: 0, owner: "wa", leaseMs: 60_000, now })).status).toBe("claimed");
    expect((await b.claimStep({ jobId: "j1", chain: "soup", step: 0, owner: "wb", leaseMs: 60_000, now })).status).toBe("busy");
    expect((await b.getJob("j1"))!.status).toBe("processing");
    await a.close();
    await b.close();
  });

  it("stores a raw page as the text it arrived as, and any other raw value as its JSON", async () => {
    const file = freshFile();
    const storage = sqliteStorage({ file });
    const campaign = await storage.createCampaign(campaignFixture("c1", "alice"));
    await storage.createJob(jobFixture("j1", campaign), [chainFixture("j1", "soup")]);
    const received = '{ "items": [ {"id": 2, "text": "caf\\u00e9"} ],\n  "cursor": 7 }';
    await storage.savePage({ jobId: "j1", chain: "soup", step: 0, raw: parseJsonKeepingText(received), fetchedAt: new Date(1) });
    await storage.savePage({ jobId: "j1", chain: "soup", step: 1, raw: { search: { id: 1 }, profiles: {} }, fetchedAt: new Date(2) });
    const db = new Database(file, { readonly: true });
    expect(db.prepare("select raw from search_pages order by step").pluck().all()).toEqual([received, '{"search":{"id":1},"profiles":{}}']);
    db.close();
    expect((await storage.getPage("j1", "soup", 0))!.raw).toEqual({ items: [{ id: 2, text: "café" }], cursor: 7 });
    await storage.close();
  });

  it("uses a drizzle database you pass in, and leaves it open on close", async () => {
    const { drizzle } = await import("drizzle-orm/better-sqlite3");
    const raw = new Database(":memory:");
    const storage = sqliteStorage({ db: drizzle(raw) as never });
    await storage.createCampaign(campaignFixture("c1", "alice"));
    await storage.close();
    expect(raw.prepare("select count(*) from campaigns").pluck().get()).toBe(1);
    raw.close();
  });

  it("fails with a ConfigurationError naming the file when it cannot be opened", () => {
    const notADir = join(dir, "plain-file");
    writeFileSync(notADir, "x");
    expect(() => sqliteStorage({ file: join(notADir, "cs.db") })).toThrow(ConfigurationError);
    expect(() => sqliteStorage({ file: join(notADir, "cs.db") })).toThrow(/plain-file/);
  });

  it("fails with a ConfigurationError when the file is not a database", () => {
    const garbage = join(dir, "garbage.db");
    writeFileSync(garbage, "this is not sqlite ".repeat(100));
    expect(() => sqliteStorage({ file: garbage })).toThrow(ConfigurationError);
  });

  it("with migrate: false, refuses a file missing migrations, naming them; migrate(storage) applies them", async () => {
    const file = freshFile();
    const storage = sqliteStorage({ file, migrate: false });
    await expect(storage.ready()).rejects.toThrow(`is on an older schema version: missing migration${SHIPPED.length > 1 ? "s" : ""} ${SHIPPED.join(", ")}.`);
    await expect(storage.getCampaign("alice", "c1")).rejects.toThrow(ConfigurationError);
    expect(await storage.pendingMigrations()).toEqual(SHIPPED);
    expect(await migrate(storage)).toEqual(SHIPPED);
    expect(await migrate(storage)).toEqual([]);
    expect(await storage.getCampaign("alice", "c1")).toBeNull();
    await storage.close();
  });

  it("names the one migration an older file lacks", async () => {
    const file = freshFile();
    await sqliteStorage({ file }).close();
    // The file as a previous release left it: the newest migration not yet applied.
    const raw = new Database(file);
    raw.prepare("delete from __creatorsearch_migrations where created_at = (select max(created_at) from __creatorsearch_migrations)").run();
    raw.close();
    const older = sqliteStorage({ file, migrate: false });
    await expect(older.ready()).rejects.toThrow(new RegExp(`cs-sqlite-.*is on an older schema version: missing migration ${SHIPPED.at(-1)}\\. Apply them with`));
    expect(await older.pendingMigrations()).toEqual([SHIPPED.at(-1)]);
    await older.close();
  });
});
