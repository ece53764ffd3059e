/**
 * Credits per new creator on a second, overlapping search of a campaign, with and without
 * `onlyNew` (issue 15). A campaign first searches TikTok for two keywords; a second search
 * repeats them and adds a third. Without `onlyNew` the second search pages the first two
 * keywords from the start again and counts creators the campaign already has toward its target;
 * with it, those keywords resume where the first search stopped, and known creators are skipped.
 * "New" means new to the campaign's roster. Target: `onlyNew` makes >= 30% fewer calls per new
 * creator. Sandbox API over HTTP, memory storage (the figure is API calls, not storage speed).
 */
import { createCreatorSearch, memoryQueue, memoryStorage, tiktok } from "@creatorsearch/core";
import { startSandboxServer } from "@creatorsearch/sandbox";

const KEY = "bench";
const FIRST = { keywords: ["sourdough", "focaccia"], targetResults: 300 };
const SECOND = { keywords: ["sourdough", "focaccia", "baguette"], targetResults: 300 };

async function rosterSize(cs: ReturnType<typeof createCreatorSearch>, campaignId: string): Promise<number> {
  let n = 0;
  for await (const _ of cs.campaigns.creators.iterate("bench", campaignId)) n++;
  return n;
}

/** Runs both searches in a fresh campaign; the second with or without `onlyNew`. */
async function run(baseUrl: string, onlyNew: boolean) {
  const cs = createCreatorSearch({
    storage: memoryStorage(),
    queue: memoryQueue({ concurrency: 4 }),
    platforms: [tiktok({ apiKey: KEY, baseUrl })],
    recoverIntervalMs: 0,
  });
  try {
    const campaign = await cs.campaigns.create("bench", { name: "roster credits" });
    const first = await cs.jobs.start("bench", { campaignId: campaign.id, platform: "tiktok", ...FIRST });
    await cs.jobs.wait("bench", first.id, { pollMs: 10 });
    const before = await rosterSize(cs, campaign.id);
    const started = await cs.jobs.start("bench", { campaignId: campaign.id, platform: "tiktok", ...SECOND, ...(onlyNew ? { onlyNew: true } : {}) });
    const second = await cs.jobs.wait("bench", started.id, { pollMs: 10 });
    const after = await rosterSize(cs, campaign.id);
    const added = after - before;
    return { calls: second.apiCalls, added, results: second.processedResults, skipped: second.skippedKnown };
  } finally {
    await cs.close();
  }
}

export async function rosterCreditsBench(): Promise<Record<string, string | number>> {
  const sandbox = await startSandboxServer({ port: 0 });
  try {
    const plain = await run(sandbox.url, false);
    const onlyNew = await run(sandbox.url, true);
    const perNew = (r: { calls: number; added: number }) => (r.added ? r.calls / r.added : Infinity);
    const reduction = 1 - perNew(onlyNew) / perNew(plain);
    return {
      searches: `1st ${FIRST.keywords.join(" + ")} (target ${FIRST.targetResults}); 2nd ${SECOND.keywords.join(" + ")} (target ${SECOND.targetResults})`,
      "2nd search, plain: calls / results / new to the campaign": `${plain.calls} / ${plain.results} / ${plain.added}`,
      "2nd search, onlyNew: calls / results / new (known skipped)": `${onlyNew.calls} / ${onlyNew.results} / ${onlyNew.added} (${onlyNew.skipped})`,
      "calls per 100 new creators, plain": ((perNew(plain) * 100)).toFixed(1),
      "calls per 100 new creators, onlyNew": ((perNew(onlyNew) * 100)).toFixed(1),
      "fewer calls per new creator": `${(reduction * 100).toFixed(0)}%`,
      target: ">= 30% fewer",
      result: reduction >= 0.3 ? "PASS" : "FAIL",
    };
  } finally {
    await sandbox.close();
  }
}
