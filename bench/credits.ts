/**
 * Credits per 100 unique creators for TikTok keyword search on the sandbox: API calls made /
 * unique creators x 100, vs the lower bound: the fewest pages that hold the creators the job
 * found (each keyword's pages read in order, as the API allows). Target: at most 1.1x. For
 * reference it also prints an oracle that knew beforehand which keyword pays best.
 * Also prints the blueprint's figure for the same search: one query of the keywords joined
 * with ", ", stopping when its "results" (videos, not creators) reach the target.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createCreatorSearch, memoryQueue, tiktok } from "@creatorsearch/core";
import { sqliteStorage } from "@creatorsearch/drizzle/sqlite";
import { startSandboxServer } from "@creatorsearch/sandbox";

const KEY = "bench";
const SEARCHES = [
  { keywords: ["home cooking", "sourdough bread", "meal prep"], target: 300 },
  { keywords: ["sourdough"], target: 100 },
];

type Item = { aweme_info?: { author: { uid: string } }; author?: { uid: string } };
type Page = { search_item_list: Item[] | null; cursor: number | null; has_more: number };

async function fetchPage(baseUrl: string, query: string, cursor: number): Promise<Page> {
  const res = await fetch(`${baseUrl}/v1/tiktok/search/keyword?query=${encodeURIComponent(query)}&cursor=${cursor}`, { headers: { "x-api-key": KEY } });
  if (!res.ok) throw new Error(`sandbox answered ${res.status}`);
  return (await res.json()) as Page;
}
const authorOf = (item: Item) => (item.aweme_info ?? item).author!.uid;

/** Every page of a keyword, in order, as the sets of their authors. */
async function pagesOf(baseUrl: string, keyword: string, max = 60): Promise<Set<string>[]> {
  const pages: Set<string>[] = [];
  for (let cursor: number | null = 0; cursor !== null && pages.length < max; ) {
    const p = await fetchPage(baseUrl, keyword, cursor);
    pages.push(new Set((p.search_item_list ?? []).map(authorOf)));
    cursor = p.has_more && p.search_item_list?.length ? p.cursor : null;
  }
  return pages;
}

/**
 * The lower bound: the fewest pages that still hold every creator the job found, when each
 * keyword's pages can only be read in order (page n needs the cursor of page n - 1). Exact:
 * tries every prefix length per keyword up to the pages the job read (few keywords, few pages).
 */
function pagesHolding(found: ReadonlySet<string>, pagesByKeyword: Set<string>[][], read: number[]): number {
  let best = Infinity;
  const prefix = read.map(() => 0);
  const covers = () => {
    const held = new Set<string>();
    for (const [k, n] of prefix.entries()) for (const page of pagesByKeyword[k]!.slice(0, n)) for (const id of page) held.add(id);
    for (const id of found) if (!held.has(id)) return false;
    return true;
  };
  const walk = (k: number, pages: number) => {
    if (pages >= best) return;
    if (k === read.length) {
      if (covers()) best = pages;
      return;
    }
    for (let n = 0; n <= read[k]!; n++) {
      prefix[k] = n;
      walk(k + 1, pages + n);
    }
    prefix[k] = 0;
  };
  walk(0, 0);
  return best;
}

/**
 * For reference, an oracle that knew in advance which keyword's pages bring the most new
 * creators: greedy fewest pages to hold `count` unique creators.
 */
function oraclePages(pagesByKeyword: Set<string>[][], count: number): number {
  const next = pagesByKeyword.map(() => 0);
  const held = new Set<string>();
  let pages = 0;
  while (held.size < count) {
    let best = -1;
    let bestGain = -1;
    for (const [k, list] of pagesByKeyword.entries()) {
      const page = list[next[k]!];
      if (!page) continue;
      let gain = 0;
      for (const id of page) if (!held.has(id)) gain++;
      if (gain > bestGain) [best, bestGain] = [k, gain];
    }
    if (best === -1) break;
    for (const id of pagesByKeyword[best]![next[best]!]!) held.add(id);
    next[best]! += 1;
    pages += 1;
  }
  return pages;
}

/** The blueprint: one joined query, stopping when the videos counted reach the target. */
async function blueprint(baseUrl: string, keywords: string[], target: number) {
  const seen = new Set<string>();
  let videos = 0;
  let calls = 0;
  for (let cursor: number | null = 0; cursor !== null && videos < target && calls < 200; ) {
    const p = await fetchPage(baseUrl, keywords.join(", "), cursor);
    calls += 1;
    videos += p.search_item_list?.length ?? 0;
    for (const item of p.search_item_list ?? []) seen.add(authorOf(item));
    cursor = p.has_more ? p.cursor : null;
  }
  return { calls, videos, unique: seen.size };
}

const per100 = (calls: number, creators: number) => ((calls / creators) * 100).toFixed(1);

export async function creditsBench(): Promise<Record<string, string | number>> {
  const dir = await mkdtemp(join(tmpdir(), "cs-bench-credits-"));
  const sandbox = await startSandboxServer({ port: 0 });
  const figures: Record<string, string | number> = {};
  let worst = 0;
  try {
    for (const [i, { keywords, target }] of SEARCHES.entries()) {
      const cs = createCreatorSearch({
        storage: sqliteStorage({ file: join(dir, `credits-${i}.db`) }),
        queue: memoryQueue({ concurrency: 4 }),
        platforms: [tiktok({ apiKey: KEY, baseUrl: sandbox.url })],
        recoverIntervalMs: 0,
      });
      const campaign = await cs.campaigns.create("bench", { name: "credits" });
      const started = await cs.jobs.start("bench", { campaignId: campaign.id, platform: "tiktok", keywords, targetResults: target });
      const job = await cs.jobs.wait("bench", started.id, { pollMs: 10 });
      const read = (await cs.jobs.chains("bench", job.id)).map((c) => c.step);
      const found = new Set<string>();
      for await (const c of cs.results.iterate("bench", job.id)) found.add(c.id);
      await cs.close();
      const unique = found.size;
      const pagesByKeyword = await Promise.all(keywords.map((k) => pagesOf(sandbox.url, k)));
      const bound = pagesHolding(found, pagesByKeyword, read);
      const oracle = oraclePages(pagesByKeyword, unique);
      const ratio = job.apiCalls / bound;
      worst = Math.max(worst, ratio);
      const bp = await blueprint(sandbox.url, keywords, target);
      const name = `${target} creators, ${keywords.length} keyword${keywords.length > 1 ? "s" : ""}`;
      figures[`${name}: engine`] = `${job.apiCalls} calls / ${unique} unique creators = ${per100(job.apiCalls, unique)} credits per 100 (${job.stopReason})`;
      figures[`${name}: lower bound`] = `${bound} pages hold those ${unique} creators = ${per100(bound, unique)} credits per 100`;
      figures[`${name}: oracle (knew the best keyword pages)`] = `${oracle} pages for ${unique} creators = ${per100(oracle, unique)} credits per 100`;
      figures[`${name}: engine / bound`] = ratio.toFixed(3);
      figures[`${name}: blueprint`] = `${bp.calls} calls, "${bp.videos} results" = videos of only ${bp.unique} unique creators = ${per100(bp.calls, bp.unique)} credits per 100`;
    }
    figures.summary = `engine / lower bound ${Object.entries(figures)
      .filter(([k]) => k.endsWith(": engine / bound"))
      .map(([k, v]) => `${v} (${k.replace(": engine / bound", "")})`)
      .join(", ")}`;
    figures.target = "<= 1.10";
    figures.result = worst <= 1.1 ? "PASS" : "FAIL";
    return figures;
  } finally {
    await sandbox.close();
    await rm(dir, { recursive: true, force: true });
  }
}

// Run alone: `node --conditions=dev-source --import tsx bench/credits.ts`.
if (import.meta.url === `file://${process.argv[1]}`) console.log(await creditsBench());
