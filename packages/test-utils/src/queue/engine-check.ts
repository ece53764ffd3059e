import {
  type QueueAdapter,
  TIKTOK_KEYWORD_SEARCH_PATH,
  createCreatorSearch,
  memoryQueue,
  memoryStorage,
  scrapeCreatorsClient,
  tiktok,
} from "@creatorsearch/core";
import { createSandbox } from "@creatorsearch/sandbox";
import { expect, it } from "vitest";
import type { QueueHarness } from "./harness.js";

const KEYWORDS = ["sourdough", "ramen"];
/** 5 pages per keyword; the target is out of reach, so every run ends `exhausted` with every page. */
const SANDBOX = { resultsPerQuery: 140, pageSize: 30, seed: "queue-conformance" };
const USER = "conformance";

interface RunResult {
  creators: string[];
  apiCalls: number;
  pages: number;
  requests: number;
  status: string;
  stopReason: string | null;
}

/** Delivers every message twice: a copy under another idempotency key, at once or `lagMs` later. */
function duplicating(queue: QueueAdapter, lagMs: number): QueueAdapter {
  const copy: QueueAdapter = {
    id: queue.id,
    async enqueue(message, options) {
      const [result] = await Promise.all([
        queue.enqueue(message, options),
        queue.enqueue(message, { idempotencyKey: `${options.idempotencyKey}#dup`, delayMs: (options.delayMs ?? 0) + lagMs }),
      ]);
      return result;
    },
    close: () => queue.close(),
  };
  if (queue.start) copy.start = (consumer) => queue.start!(consumer);
  if (queue.receive) copy.receive = (request, consumer) => queue.receive!(request, consumer);
  return copy;
}

/**
 * Runs one keyword job to its end on `queue` against a fresh sandbox. A push queue's deliveries
 * are routed with `connect`, which is handed `created` (the adapter the harness made, not the
 * duplicating wrapper around it).
 */
async function runJob(queue: QueueAdapter, connect?: QueueHarness["connect"], created: QueueAdapter = queue): Promise<RunResult> {
  const sandbox = createSandbox(SANDBOX);
  const client = scrapeCreatorsClient({
    apiKey: "sandbox",
    baseUrl: "https://api.scrapecreators.test",
    retries: 0,
    fetch: (input, init) => sandbox.fetch(new Request(input, init)),
  });
  const storage = memoryStorage();
  const cs = createCreatorSearch({
    storage,
    queue,
    platforms: [tiktok({ client })],
    recoverIntervalMs: 0,
    // A duplicate that finds the step held waits out the lease: keep it short.
    limits: { stepLeaseMs: 1500, maxDryPages: 50 },
  });
  try {
    if (!queue.start) await connect?.(created, (request) => cs.receiveDelivery(request));
    const campaign = await cs.campaigns.create(USER, { name: "queue conformance" });
    const started = await cs.jobs.start(USER, { campaignId: campaign.id, platform: "tiktok", keywords: KEYWORDS, targetResults: 10_000 });
    const job = await cs.jobs.wait(USER, started.id, { timeoutMs: 40_000, pollMs: 50 });
    const creators: string[] = [];
    for await (const c of cs.results.iterate(USER, job.id)) creators.push(`${c.platform}:${c.id}:${[...c.matchedKeywords].sort().join("|")}`);
    const chains = await cs.jobs.chains(USER, job.id);
    return {
      creators: creators.sort(),
      apiCalls: job.apiCalls,
      pages: chains.reduce((sum, c) => sum + c.step, 0),
      requests: sandbox.requestCount(TIKTOK_KEYWORD_SEARCH_PATH),
      status: job.status,
      stopReason: job.stopReason,
    };
  } finally {
    await cs.close();
  }
}

/** The engine-level checks of the queue suite (see `queueConformanceSuite`). */
export function engineChecks(harness: QueueHarness, open: QueueAdapter[]): void {
  let baseline: RunResult | undefined;
  const plainRun = async () => (baseline ??= await runJob(memoryQueue({ concurrency: 4 })));
  const settings = { concurrency: 4, attempts: 3, backoffMs: 200 };

  for (const [label, lagMs] of [
    ["one after the other", 300],
    ["at once", 0],
  ] as const) {
    it(`engine: every step delivered twice (${label}) gives the same creators and one API call per page`, { timeout: 60_000 }, async () => {
      const expected = await plainRun();
      expect(expected.status).toBe("completed");
      expect(expected.stopReason).toBe("exhausted");
      expect(expected.creators.length).toBeGreaterThan(100);

      const queue = await harness.create(settings);
      open.push(queue);
      const got = await runJob(duplicating(queue, lagMs), harness.connect, queue);
      expect(got.status).toBe("completed");
      expect(got.stopReason).toBe("exhausted");
      expect(got.creators).toEqual(expected.creators);
      expect(got.pages).toBe(expected.pages);
      expect(got.requests).toBe(got.pages); // one API call per page, duplicates included
      expect(got.apiCalls).toBe(got.pages);
    });
  }
}
