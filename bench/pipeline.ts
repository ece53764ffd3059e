/**
 * Pipeline throughput: a 1000-creator TikTok job against the sandbox at zero latency, through
 * the engine (SQLite file + memory queue + tiktok() over HTTP) vs a bare hand-written loop doing
 * the same fetch, JSON parse and better-sqlite3 insert. Run on compact pages and on real-size
 * ones (~1.8 MB, the sandbox's `pageKb`), where fetching, parsing and keeping the raw page weigh
 * more. Target: engine >= 0.5x the loop, on both.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createCreatorSearch, memoryQueue, tiktok } from "@creatorsearch/core";
import { sqliteStorage } from "@creatorsearch/drizzle/sqlite";
import { startSandboxServer } from "@creatorsearch/sandbox";
import Database from "better-sqlite3";

const TARGET = 1000;
const KEY = "bench";

interface Run {
  pages: number;
  creators: number;
  ms: number;
}

async function bareLoop(baseUrl: string, file: string, query: string): Promise<Run> {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.exec("CREATE TABLE creators (id TEXT PRIMARY KEY, handle TEXT, followers INTEGER, data TEXT)");
  const insert = db.prepare("INSERT OR IGNORE INTO creators (id, handle, followers, data) VALUES (?, ?, ?, ?)");
  const count = db.prepare("SELECT count(*) AS n FROM creators");
  const insertPage = db.transaction((items: { aweme_info?: any }[]) => {
    for (const item of items) {
      const a = item.aweme_info ?? item;
      insert.run(a.author.uid, a.author.unique_id, a.author.follower_count ?? null, JSON.stringify(a.author));
    }
  });
  const t0 = performance.now();
  let cursor: number | null = 0;
  let pages = 0;
  let creators = 0;
  while (cursor !== null && creators < TARGET) {
    const res = await fetch(`${baseUrl}/v1/tiktok/search/keyword?query=${encodeURIComponent(query)}&cursor=${cursor}`, { headers: { "x-api-key": KEY } });
    const body = (await res.json()) as { search_item_list: any[]; cursor: number | null; has_more: number };
    insertPage(body.search_item_list);
    pages++;
    creators = (count.get() as { n: number }).n;
    cursor = body.has_more ? body.cursor : null;
  }
  const ms = performance.now() - t0;
  db.close();
  return { pages, creators, ms };
}

async function engine(baseUrl: string, file: string, query: string): Promise<Run> {
  const cs = createCreatorSearch({
    storage: sqliteStorage({ file }),
    queue: memoryQueue({ concurrency: 4 }),
    platforms: [tiktok({ apiKey: KEY, baseUrl })],
    limits: { maxApiCallsPerJob: 10_000 },
    recoverIntervalMs: 0,
  });
  const campaign = await cs.campaigns.create("bench", { name: "bench" });
  const t0 = performance.now();
  const job = await cs.jobs.start("bench", { campaignId: campaign.id, platform: "tiktok", keywords: [query], targetResults: TARGET });
  const done = await cs.jobs.wait("bench", job.id, { pollMs: 50 });
  const ms = performance.now() - t0;
  await cs.close();
  return { pages: done.processedRuns, creators: done.processedResults, ms };
}

/** Pages per second of both sides, median of `rounds`, on pages of `pageKb` (0: compact). */
async function measure(pageKb: number, rounds: number): Promise<{ bare: number; engine: number; creators: number[] }> {
  const dir = await mkdtemp(join(tmpdir(), "cs-bench-"));
  const server = await startSandboxServer({ port: 0, resultsPerQuery: 20_000, pageKb });
  try {
    const bare: Run[] = [];
    const eng: Run[] = [];
    for (let i = 0; i < rounds; i++) {
      // Alternate, each on a fresh file, so neither side gets a warmer cache.
      bare.push(await bareLoop(server.url, join(dir, `bare-${i}.db`), `bench pipeline ${i}`));
      eng.push(await engine(server.url, join(dir, `engine-${i}.db`), `bench pipeline ${i}`));
    }
    const rate = (runs: Run[]) => {
      const sorted = runs.map((r) => (r.pages / r.ms) * 1000).sort((a, b) => a - b);
      return sorted[Math.floor(sorted.length / 2)]!;
    };
    return { bare: rate(bare), engine: rate(eng), creators: eng.map((r) => r.creators) };
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Compact pages, then real-size ones. */
const SIZES = [
  { label: "compact pages", pageKb: 0 },
  { label: "real-size pages (1800 KB)", pageKb: 1800 },
];

export async function pipelineBench(): Promise<Record<string, string | number>> {
  const rounds = 3;
  const figures: Record<string, string | number> = { job: `${TARGET} creators, 1 keyword, 0 ms latency, median of ${rounds}` };
  let pass = true;
  for (const size of SIZES) {
    const { bare, engine: eng, creators } = await measure(size.pageKb, rounds);
    figures[`${size.label}: bare loop pages/s`] = bare.toFixed(1);
    figures[`${size.label}: engine pages/s`] = eng.toFixed(1);
    figures[`${size.label}: engine creators found`] = creators.join(", ");
    figures[`${size.label}: engine / bare`] = `${(eng / bare).toFixed(2)} (target >= 0.50)`;
    if (eng / bare < 0.5) pass = false;
  }
  figures.result = pass ? "PASS" : "FAIL";
  return figures;
}
