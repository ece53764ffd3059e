import { createSandbox } from "@creatorsearch/sandbox";
import { sandboxHandlers } from "@creatorsearch/sandbox/msw";
import { delay, http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type YouTubeOptions, createCreatorSearch, memoryQueue, memoryStorage, youtube } from "../src/index.js";

const BASE = "https://youtube.test";
const USER = "user-1";
const sandbox = createSandbox({ resultsPerQuery: 60 });
const server = setupServer(...sandboxHandlers({ sandbox, baseUrl: BASE }));
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function setup(options: Partial<YouTubeOptions> = {}, limits: object = {}) {
  const cs = createCreatorSearch({
    storage: memoryStorage(),
    queue: memoryQueue({ concurrency: 2 }),
    platforms: [youtube({ apiKey: "test", baseUrl: BASE, retries: 0, ...options })],
    limits,
    recoverIntervalMs: 0,
  });
  const run = async (input: Record<string, unknown>) => {
    const campaign = await cs.campaigns.create(USER, { name: "YT" });
    const job = await cs.jobs.start(USER, { campaignId: campaign.id, platform: "youtube", ...input });
    const done = await cs.jobs.wait(USER, job.id, { timeoutMs: 20_000, pollMs: 20 });
    const items = (await cs.results.list(USER, { jobId: job.id, limit: 1000 })).items;
    await cs.close();
    return { job: done, items };
  };
  return { cs, run };
}

const counts = () => ({ search: sandbox.requestCount("/v1/youtube/search"), channel: sandbox.requestCount("/v1/youtube/channel") });

describe("youtube keyword search", () => {
  it("pages with continuationToken to the end and groups videos by channel, https avatars only", async () => {
    const before = counts();
    const { job, items } = await setup().run({ keywords: ["sourdough"], targetResults: 1000 });
    const after = counts();
    expect(job).toMatchObject({ status: "completed", stopReason: "exhausted" });
    // 60 results at 20 per page.
    expect(after.search - before.search).toBe(3);
    expect(after.channel - before.channel).toBe(0);
    expect(job.apiCalls).toBe(3);
    expect(new Set(items.map((c) => c.id)).size).toBe(items.length);
    expect(items.every((c) => c.platform === "youtube" && c.id.startsWith("UC"))).toBe(true);
    expect(items.every((c) => c.avatarUrl === null || c.avatarUrl.startsWith("https://"))).toBe(true);
    expect(items.some((c) => c.posts.length > 1)).toBe(true);
    expect(items.every((c) => c.profileUrl!.startsWith("https://www.youtube.com/"))).toBe(true);
    // Channels found only through videos have no subscriber count without enrichment: null, never 0.
    const unknown = items.filter((c) => c.followers === null);
    expect(unknown.length).toBeGreaterThan(0);
    expect(unknown.every((c) => c.engagement.byFollowers === null)).toBe(true);
  });

  it("with enrich, fills subscriber counts from /v1/youtube/channel, each call counted", async () => {
    const before = counts();
    const { job, items } = await setup({ enrich: true }).run({ keywords: ["sourdough"], targetResults: 1000 });
    const after = counts();
    expect(job.status).toBe("completed");
    expect(items.every((c) => typeof c.followers === "number" && c.followers > 0)).toBe(true);
    expect(after.channel - before.channel).toBeGreaterThan(0);
    expect(job.apiCalls).toBe(after.search - before.search + (after.channel - before.channel));
  });

  it("follows the job's own enrich option over the adapter's", async () => {
    let before = counts();
    const on = await setup({ enrich: false }).run({ keywords: ["sourdough"], targetResults: 1000, enrich: true });
    expect(counts().channel - before.channel).toBeGreaterThan(0);
    expect(on.items.every((c) => c.followers !== null)).toBe(true);
    before = counts();
    const off = await setup({ enrich: true }).run({ keywords: ["sourdough"], targetResults: 1000, enrich: false });
    expect(counts().channel - before.channel).toBe(0);
    expect(off.job.apiCalls).toBe(3);
  });

  it("enriches only as many channels as the budget grants", async () => {
    const before = counts();
    const { job, items } = await setup({ enrich: true }).run({ keywords: ["knitting"], targetResults: 1000, maxApiCalls: 4 });
    const after = counts();
    expect(job).toMatchObject({ status: "completed", stopReason: "budget_spent", apiCalls: 4 });
    expect(after.search - before.search).toBe(1);
    expect(after.channel - before.channel).toBe(3);
    const enrichedFromVideos = items.filter((c) => c.followers !== null && c.posts.length > 0 && c.bio !== null);
    expect(enrichedFromVideos.length).toBeGreaterThanOrEqual(3);
  });

  it("keeps channel lookups within enrichConcurrency, and a failed lookup leaves that channel unenriched", async () => {
    let inFlight = 0;
    let peak = 0;
    let failed = "";
    server.use(
      http.get(`${BASE}/v1/youtube/channel`, async ({ request }) => {
        const id = new URL(request.url).searchParams.get("channelId")!;
        inFlight++;
        peak = Math.max(peak, inFlight);
        await delay(20);
        inFlight--;
        if (!failed) {
          failed = id;
          return HttpResponse.json({ error: "not_found", message: "Channel not found" }, { status: 404 });
        }
        return HttpResponse.json({ success: true, channelId: id, name: "X", description: "mail me: Hi@Chan.example", subscriberCount: 4321, email: null });
      }),
    );
    const { job, items } = await setup({ enrich: true, enrichConcurrency: 2 }).run({ keywords: ["pottery"], targetResults: 1000, maxApiCalls: 12 });
    expect(job.status).toBe("completed");
    expect(peak).toBe(2);
    const lookedUp = items.filter((c) => c.followers === 4321);
    expect(lookedUp.length).toBeGreaterThan(0);
    expect(lookedUp.every((c) => c.emails.includes("hi@chan.example"))).toBe(true);
    expect(items.find((c) => c.id === failed)!.followers).toBeNull();
  });

  it("refuses similar mode naming the field", async () => {
    const { cs } = setup();
    const campaign = await cs.campaigns.create(USER, { name: "c" });
    await expect(cs.jobs.start(USER, { campaignId: campaign.id, platform: "youtube", targetHandle: "someone" })).rejects.toThrow(
      'mode: YouTube supports keyword search only, not "similar"',
    );
    await cs.close();
  });
});
