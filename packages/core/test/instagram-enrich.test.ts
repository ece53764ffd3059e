import { createSandbox } from "@creatorsearch/sandbox";
import { sandboxHandlers } from "@creatorsearch/sandbox/msw";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCreatorSearch, instagram, memoryQueue, memoryStorage } from "../src/index.js";

const BASE = "https://instagram-enrich.test";
const USER = "user-1";
const sandbox = createSandbox({ resultsPerQuery: 120 });
const server = setupServer(...sandboxHandlers({ sandbox, baseUrl: BASE }));
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterAll(() => server.close());

async function similar(input: Record<string, unknown>, options: { enrich?: boolean } = {}, limits: object = {}) {
  const cs = createCreatorSearch({
    storage: memoryStorage(),
    queue: memoryQueue({ concurrency: 2 }),
    platforms: [instagram({ apiKey: "test", baseUrl: BASE, retries: 0, ...options })],
    limits,
    recoverIntervalMs: 0,
  });
  const lookups: string[] = [];
  const listener = ({ request }: { request: Request }) => {
    const url = new URL(request.url);
    if (url.pathname === "/v1/instagram/profile") lookups.push(url.searchParams.get("handle")!);
  };
  server.events.on("request:start", listener);
  try {
    const campaign = await cs.campaigns.create(USER, { name: "IG" });
    const started = await cs.jobs.start(USER, { campaignId: campaign.id, platform: "instagram", targetHandle: "@bakewithsunny", targetResults: 100, ...input });
    const job = await cs.jobs.wait(USER, started.id, { timeoutMs: 30_000, pollMs: 20 });
    const items = (await cs.results.list(USER, { jobId: job.id, limit: 1000 })).items;
    return { job, items, lookups };
  } finally {
    server.events.removeListener("request:start", listener);
    await cs.close();
  }
}

describe("Instagram similar enrichment", () => {
  it("off (the default): most related accounts have no follower count", async () => {
    const { job, items, lookups } = await similar({});
    expect(job.status).toBe("completed");
    expect(lookups.length).toBe(job.apiCalls);
    expect(items.filter((c) => c.followers === null).length).toBeGreaterThan(items.length / 2);
  });

  it("on for the job: each related account is looked up once, within the budget, and gets its numbers", async () => {
    const { job, items, lookups } = await similar({ enrich: true });
    expect(job.status).toBe("completed");
    // Every lookup is a counted API call. No account is looked up twice for its numbers; the
    // walk's own visits (one per step after the seed) read a profile again for its related list.
    expect(lookups.length).toBe(job.apiCalls);
    expect(lookups.length - new Set(lookups).size).toBeLessThanOrEqual(job.processedRuns - 1);
    const unknown = items.filter((c) => c.followers === null);
    expect(unknown.length).toBeLessThan(items.length / 10);
    expect(items.filter((c) => c.followers !== null).every((c) => c.followers! >= 0)).toBe(true);
  });

  it("a budget smaller than the lookups leaves the rest unknown instead of overspending", async () => {
    const { job, lookups, items } = await similar({ enrich: true }, {}, { maxApiCallsPerJob: 8 });
    expect(job.apiCalls).toBeLessThanOrEqual(8);
    expect(lookups.length).toBe(job.apiCalls);
    expect(items.some((c) => c.followers === null)).toBe(true);
  });

  it("the adapter option turns it on, and a job's enrich: false turns it off again", async () => {
    const on = await similar({}, { enrich: true });
    expect(on.items.filter((c) => c.followers === null).length).toBeLessThan(on.items.length / 10);
    const off = await similar({ enrich: false }, { enrich: true });
    expect(off.items.filter((c) => c.followers === null).length).toBeGreaterThan(off.items.length / 2);
  });
});
