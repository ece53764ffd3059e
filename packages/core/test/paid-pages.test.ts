import { afterEach, describe, expect, it } from "vitest";
import { type CreatorSearch, type PlatformAdapter, createCreatorSearch, memoryQueue, memoryStorage } from "../src/index.js";
import { creator } from "./helpers.js";

const USER = "user-1";
const PAGE_SIZE = 5;

/**
 * A platform whose pages take a random few milliseconds, so the steps of a job's chains overlap
 * at the target the way real ones do. Every fetch is a paid call.
 */
function slowPlatform() {
  let fetches = 0;
  const platform: PlatformAdapter = {
    id: "slow",
    name: "Slow",
    modes: ["keyword"],
    planChains: ({ keywords }) => keywords.map((input, i) => ({ key: `k${i}`, input })),
    async fetchPage({ chain }) {
      fetches += 1;
      await new Promise((resolve) => setTimeout(resolve, 1 + Math.random() * 8));
      const index = Number(chain.cursor ?? 0);
      return { ids: Array.from({ length: PAGE_SIZE }, (_, j) => `${chain.input}-${index}-${j}`), next: index + 1 };
    },
    parsePage(raw, { chain }) {
      const { ids, next } = raw as { ids: string[]; next: number };
      return { creators: ids.map((id) => creator(id, chain.input)), nextCursor: String(next), hasMore: true };
    },
  };
  return { platform, fetches: () => fetches };
}

describe("no paid page is thrown away", () => {
  let cs: CreatorSearch | undefined;
  afterEach(() => cs?.close());

  it("at the target, steps already paying commit their creators, and nothing more is paid", async () => {
    const { platform, fetches } = slowPlatform();
    const storage = memoryStorage();
    cs = createCreatorSearch({ storage, queue: memoryQueue({ concurrency: 8 }), platforms: [platform], recoverIntervalMs: 0 });
    const campaign = await cs.campaigns.create(USER, { name: "c" });
    for (let round = 0; round < 20; round++) {
      const before = fetches();
      // 4 chains of 5 creators a page and a target no page boundary meets: steps overlap at it.
      const started = await cs.jobs.start(USER, { campaignId: campaign.id, platform: "slow", keywords: ["a", "b", "c", "d"], targetResults: 23 });
      const job = await cs.jobs.wait(USER, started.id, { timeoutMs: 10_000 });
      expect(job).toMatchObject({ status: "completed", stopReason: "target_reached" });
      // Every paid call is one committed page: none fetched and dropped at the boundary.
      expect(job.apiCalls).toBe(fetches() - before);
      expect(job.processedRuns).toBe(job.apiCalls);
      expect(job.processedResults).toBe(job.apiCalls * PAGE_SIZE);
      expect(job.processedResults).toBeGreaterThanOrEqual(23);
      // Extras are at most one page per other chain in flight at the boundary.
      expect(job.processedResults).toBeLessThan(23 + 4 * PAGE_SIZE);
      // The default retention kept no raw page once its step had committed.
      expect(await cs.maintenance.prune({ dryRun: true })).toEqual({ pages: 0, bytes: 0 });
      for (const chain of await cs.jobs.chains(USER, job.id)) {
        for (let step = 0; step <= chain.step; step++) expect(await storage.getPage(job.id, chain.key, step)).toBeNull();
      }
    }
  });
});
