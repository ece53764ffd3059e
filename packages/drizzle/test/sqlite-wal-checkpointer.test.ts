import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { campaignFixture, chainFixture, jobFixture } from "@creatorsearch/test-utils/storage";
import { afterAll, describe, expect, it } from "vitest";
import { betterSqlite3ClientOf } from "../src/sqlite/better-sqlite3-db.js";
import { type SqliteStorage, sqliteStorage } from "../src/sqlite/index.js";
import { startWalCheckpointer } from "../src/sqlite/wal-checkpointer.js";

const dir = mkdtempSync(join(tmpdir(), "cs-sqlite-wal-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const freshFile = () => join(dir, `db-${++n}.sqlite`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The writer connection's `wal_autocheckpoint` (0 once the thread checkpoints for it). */
const autocheckpoint = (storage: SqliteStorage) => betterSqlite3ClientOf(storage.db)!.pragma("wal_autocheckpoint", { simple: true }) as number;

/** A job whose chain `c` takes pages. */
async function jobIn(storage: SqliteStorage): Promise<void> {
  const campaign = await storage.createCampaign(campaignFixture("c1", "alice"));
  await storage.createJob(jobFixture("j1", campaign), [chainFixture("j1", "c")]);
}

/** A raw page of about 100 KB (25 WAL pages), unique per step. */
const bigPage = (step: number) => ({ step, items: Array.from({ length: 1000 }, (_, i) => `${step}-${i}-${"x".repeat(90)}`) });

async function until(check: () => boolean, what: string): Promise<void> {
  for (const deadline = Date.now() + 5000; !check(); await sleep(10)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
  }
}

describe("sqliteStorage WAL checkpoints", () => {
  it("are taken by a thread once a step stores a page: the WAL stays small while the writer never checkpoints", async () => {
    const file = freshFile();
    const storage = sqliteStorage({ file });
    await jobIn(storage);
    // Nothing stored yet: SQLite's own checkpoints, no thread.
    expect(autocheckpoint(storage)).toBe(1000);
    let step = 0;
    await storage.savePage({ jobId: "j1", chain: "c", step: step++, raw: bigPage(0), fetchedAt: new Date() });
    await until(() => autocheckpoint(storage) === 0, "the checkpointer thread");
    // 30 MB in bursts of 3 MB with pauses: the writer no longer checkpoints, so the WAL would grow
    // to 30 MB; the thread copies each burst into the file and the WAL starts over.
    for (let burst = 0; burst < 10; burst++) {
      for (let i = 0; i < 30; i++) await storage.savePage({ jobId: "j1", chain: "c", step: step++, raw: bigPage(step), fetchedAt: new Date() });
      await sleep(250);
    }
    expect(autocheckpoint(storage)).toBe(0);
    expect(statSync(`${file}-wal`).size).toBeLessThan(10 * 1024 * 1024);
    expect(statSync(file).size).toBeGreaterThan(25 * 1024 * 1024);
    await storage.close();
    // The thread's connection is closed first: the writer's is the last, so SQLite checkpoints and removes the WAL.
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it('are SQLite\'s own with walCheckpoints: "inline"', async () => {
    const storage = sqliteStorage({ file: freshFile(), walCheckpoints: "inline" });
    await jobIn(storage);
    await storage.savePage({ jobId: "j1", chain: "c", step: 0, raw: bigPage(0), fetchedAt: new Date() });
    await sleep(300);
    expect(autocheckpoint(storage)).toBe(1000);
    await storage.close();
  });

  it("a storage that never stores a page starts no thread, and closes as before", async () => {
    const file = freshFile();
    const storage = sqliteStorage({ file });
    await jobIn(storage);
    await sleep(300);
    expect(autocheckpoint(storage)).toBe(1000);
    await storage.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
  });
});

describe("startWalCheckpointer", () => {
  it("reports a thread that cannot load the driver as a failure, never as ready", async () => {
    const events: string[] = [];
    const checkpointer = startWalCheckpointer({
      file: freshFile(),
      driver: join(dir, "no-such-driver.js"),
      timeoutMs: 1000,
      onReady: () => events.push("ready"),
      onFailure: (error) => events.push(`failed: ${error.message.split("\n")[0]}`),
    });
    await until(() => events.length > 0, "the failure");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatch(/^failed: Cannot find module/);
    await checkpointer.stop();
    expect(events).toHaveLength(1);
  });
});
