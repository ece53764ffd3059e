/**
 * Time to 300 creators for 3 keywords at 200 ms sandbox latency, vs the theoretical minimum:
 * the rounds of parallel pages (one per keyword per round) needed to hold 300 unique creators,
 * times the latency. Target: at most 1.2x. Also prints the blueprint's design for the same
 * search: one query of the keywords joined with ", ", 2 s between calls, counting videos.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createCreatorSearch, memoryQueue, tiktok } from "@creatorsearch/core";
import { sqliteStorage } from "@creatorsearch/drizzle/sqlite";
import { startSandboxServer } from "@creatorsearch/sandbox";

const TARGET = 300;
const LATENCY = 200;
const KEYWORDS = ["home cooking", "sourdough bread", "meal prep"];
const KEY = "bench";

type Page = { search_item_list: { aweme_info?: any }[]; cursor: number | null; has_more: number };

async function page(baseUrl: string, query: string, cursor: number): Promise<Page> {
  const res = await fetch(`${baseUrl}/v1/tiktok/search/keyword?query=${encodeURIComponent(query)}&cursor=${cursor}`, { headers: { "x-api-key": KEY } });
  return (await res.json()) as Page;
}
const authorOf = (item: { aweme_info?: any }) => ((item.aweme_info ?? item) as { author: { uid: string } }).author.uid;

/** Rounds of parallel pages (one per keyword each round) until 300 unique creators are held. */
async function minimumRounds(baseUrl: string): Promise<number> {
  const seen = new Set<string>();
  const cursors = KEYWORDS.map(() => 0 as number | null);
  for (let round = 1; round < 100; round++) {
    for (const [i, kw] of KEYWORDS.entries()) {
      if (cursors[i] === null) continue;
      const p = await page(baseUrl, kw, cursors[i]!);
      for (const item of p.search_item_list) seen.add(authorOf(item));
      cursors[i] = p.has_more ? p.cursor : null;
    }
    if (seen.size >= TARGET) return round;
  }
  throw new Error("the sandbox never reached the target");
}

/** The blueprint: one joined query, stops at 300 *videos*, 2 s between calls. */
async function blueprint(baseUrl: string): Promise<{ calls: number; uniqueCreators: number; seconds: number; callsFor300Unique: number }> {
  const query = KEYWORDS.join(", ");
  const seen = new Set<string>();
  let videos = 0;
  let calls = 0;
  let cursor: number | null = 0;
  let uniqueAtStop = 0;
  let callsAtStop = 0;
  while (cursor !== null && seen.size < TARGET && calls < 200) {
    const p = await page(baseUrl, query, cursor);
    calls++;
    videos += p.search_item_list.length;
    for (const item of p.search_item_list) seen.add(authorOf(item));
    if (!callsAtStop && videos >= TARGET) {
      callsAtStop = calls;
      uniqueAtStop = seen.size;
    }
    cursor = p.has_more ? p.cursor : null;
  }
  const seconds = (callsAtStop * LATENCY + (callsAtStop - 1) * 2000) / 1000;
  return { calls: callsAtStop, uniqueCreators: uniqueAtStop, seconds, callsFor300Unique: calls };
}

export async function timeToTargetBench(): Promise<Record<string, string | number>> {
  const dir = await mkdtemp(join(tmpdir(), "cs-bench-"));
  const fast = await startSandboxServer({ port: 0 });
  const slow = await startSandboxServer({ port: 0, latencyMs: LATENCY });
  try {
    const rounds = await minimumRounds(fast.url);
    const minimumMs = rounds * LATENCY;
    const cs = createCreatorSearch({
      storage: sqliteStorage({ file: join(dir, "ttt.db") }),
      queue: memoryQueue({ concurrency: 4 }),
      platforms: [tiktok({ apiKey: KEY, baseUrl: slow.url })],
      recoverIntervalMs: 0,
    });
    const campaign = await cs.campaigns.create("bench", { name: "bench" });
    const t0 = performance.now();
    const job = await cs.jobs.start("bench", { campaignId: campaign.id, platform: "tiktok", keywords: KEYWORDS, targetResults: TARGET });
    const done = await cs.jobs.wait("bench", job.id, { pollMs: 20 });
    const ms = performance.now() - t0;
    await cs.close();
    const bp = await blueprint(fast.url);
    return {
      "job": `${TARGET} creators, ${KEYWORDS.length} keywords, ${LATENCY} ms latency`,
      "engine time (ms)": Math.round(ms),
      "engine pages / API calls": `${done.processedRuns} / ${done.apiCalls}`,
      "unique creators": done.processedResults,
      "theoretical minimum (ms)": `${minimumMs} (${rounds} rounds x ${LATENCY} ms)`,
      "engine / minimum": (ms / minimumMs).toFixed(2),
      "target": "<= 1.20",
      "result": ms / minimumMs <= 1.2 ? "PASS" : "FAIL",
      "blueprint (joined query, 2 s apart, stops at 300 videos)": `${bp.seconds.toFixed(1)} s, ${bp.calls} calls, only ${bp.uniqueCreators} unique creators`,
      "blueprint calls to hold 300 unique creators": bp.callsFor300Unique,
    };
  } finally {
    await fast.close();
    await slow.close();
    await rm(dir, { recursive: true, force: true });
  }
}
