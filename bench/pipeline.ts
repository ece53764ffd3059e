/**
 * Pipeline throughput: a 1000-creator TikTok job against the sandbox at zero latency, through
 * the engine (SQLite file + memory queue + tiktok() over HTTP) vs a bare hand-written loop doing
 * the same fetch, JSON parse and better-sqlite3 insert. Target: engine >= 0.5x the loop.
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

export async function pipelineBench(): Promise<Record<string, string | number>> {
  const dir = await mkdtemp(join(tmpdir(), "cs-bench-"));
  const server = await startSandboxServer({ port: 0, resultsPerQuery: 20_000 });
  try {
    const rounds = 3;
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
    const bareRate = rate(bare);
    const engineRate = rate(eng);
    return {
      "job": `${TARGET} creators, 1 keyword, 0 ms latency, median of ${rounds}`,
      "bare loop pages/s": bareRate.toFixed(1),
      "engine pages/s": engineRate.toFixed(1),
      "engine creators found": eng.map((r) => r.creators).join(", "),
      "engine / bare": (engineRate / bareRate).toFixed(2),
      "target": ">= 0.50",
      "result": engineRate / bareRate >= 0.5 ? "PASS" : "FAIL",
    };
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}
