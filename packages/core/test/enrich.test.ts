import { createSandbox } from "@creatorsearch/sandbox";
import { sandboxHandlers } from "@creatorsearch/sandbox/msw";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  type StorageAdapter,
  type TikTokEnrichedPage,
  type TikTokOptions,
  createCreatorSearch,
  memoryQueue,
  memoryStorage,
  tiktok,
} from "../src/index.js";
import { drain, manualQueue } from "./helpers.js";

const BASE = "https://enrich.test";
const USER = "user-1";
const sandbox = createSandbox({ resultsPerQuery: 60 });
const server = setupServer(...sandboxHandlers({ sandbox, baseUrl: BASE }));
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const counts = () => ({
  search: sandbox.requestCount("/v1/tiktok/search/keyword"),
  profile: sandbox.requestCount("/v1/tiktok/profile"),
});

async function search(options: Partial<TikTokOptions>, input: Record<string, unknown>, limits: object = {}) {
  const storage = memoryStorage();
  const cs = createCreatorSearch({
    storage,
    queue: memoryQueue({ concurrency: 2 }),
    platforms: [tiktok({ apiKey: "test", baseUrl: BASE, retries: 0, ...options })],
    limits,
    recoverIntervalMs: 0,
  });
  const before = counts();
  const campaign = await cs.campaigns.create(USER, { name: "c" });
  const started = await cs.jobs.start(USER, { campaignId: campaign.id, platform: "tiktok", keywords: ["sourdough"], targetResults: 1000, ...input });
  const job = await cs.jobs.wait(USER, started.id, { timeoutMs: 20_000, pollMs: 20 });
  const items = (await cs.results.list(USER, { jobId: job.id, limit: 1000 })).items;
  const after = counts();
  await cs.close();
  return { job, items, storage, calls: { search: after.search - before.search, profile: after.profile - before.profile } };
}

describe("TikTok profile enrichment", () => {
  it("is off by default: search pages only, no profile calls", async () => {
    const { job, calls } = await search({}, {});
    expect(calls.profile).toBe(0);
    expect(job.apiCalls).toBe(calls.search);
  });

  it("with tiktok({ enrich: true }), fills bio, verification and emails; every profile call is a counted API call", async () => {
    const plain = await search({}, {});
    const { job, items, calls } = await search({ enrich: true }, {});
    expect(job.status).toBe("completed");
    expect(calls.profile).toBeGreaterThan(0);
    expect(job.apiCalls).toBe(calls.search + calls.profile);
    // Each creator is looked up at most once per page it is found on, never more than the pages.
    expect(calls.profile).toBeLessThanOrEqual(items.length * calls.search);
    expect(items.every((c) => typeof c.verified === "boolean")).toBe(true);
    expect(items.filter((c) => c.bio !== null).length).toBeGreaterThan(plain.items.filter((c) => c.bio !== null).length);
    for (const c of items) {
      expect(c.emails.every((e) => e === e.toLowerCase() && (c.bio ?? "").toLowerCase().includes(e.split("@")[0]!))).toBe(true);
    }
    expect(items.map((c) => c.id).sort()).toEqual(plain.items.map((c) => c.id).sort());
  });

  it("looks each creator up once per job, even when later pages (of any keyword) find it again", async () => {
    const handles: string[] = [];
    const listener = ({ request }: { request: Request }) => {
      const url = new URL(request.url);
      if (url.pathname === "/v1/tiktok/profile") handles.push(url.searchParams.get("handle")!);
    };
    server.events.on("request:start", listener);
    try {
      const { job, items, calls } = await search({ enrich: true }, { keywords: ["home cooking", "sourdough bread", "meal prep"], targetResults: 300 });
      expect(job.status).toBe("completed");
      expect(calls.profile).toBe(handles.length);
      expect(new Set(handles).size).toBe(handles.length);
      expect(handles.length).toBeLessThanOrEqual(items.length);
      // Creators found again on later pages keep the profile fetched the first time.
      const byHandle = new Map(items.map((c) => [c.handle, c]));
      expect(handles.every((h) => typeof byHandle.get(h)?.verified === "boolean")).toBe(true);
    } finally {
      server.events.removeListener("request:start", listener);
    }
  });

  it("a job's enrich option overrides the adapter's", async () => {
    const on = await search({}, { enrich: true });
    expect(on.calls.profile).toBeGreaterThan(0);
    const off = await search({ enrich: true }, { enrich: false });
    expect(off.calls.profile).toBe(0);
  });

  it("stays within the job's API-call budget: lookups beyond it are not made, the creators stay unenriched", async () => {
    const { job, items, calls } = await search({ enrich: true }, { maxApiCalls: 5 });
    expect(job).toMatchObject({ status: "completed", stopReason: "budget_spent", apiCalls: 5 });
    expect(calls.search + calls.profile).toBe(5);
    expect(calls).toEqual({ search: 1, profile: 4 });
    // The first page has more creators lacking a profile than the 4 lookups granted.
    expect(items.some((c) => c.verified === null || c.bio === null)).toBe(true);
  });

  it("keeps the page when a profile lookup fails (the creator stays as the search found it)", async () => {
    server.use(http.get(`${BASE}/v1/tiktok/profile`, () => HttpResponse.json({ message: "boom" }, { status: 500 })));
    const { job, items } = await search({ enrich: true, retries: 0 }, {});
    expect(job.status).toBe("completed");
    expect(items.length).toBeGreaterThan(0);
  });

  it("is idempotent under redelivery: the stored raw page holds the profiles, nothing is bought twice", async () => {
    const queue = manualQueue();
    // Kept past the commit, to look at what the step stored.
    const storage: StorageAdapter = memoryStorage({ rawPages: "until-job-done" });
    const cs = createCreatorSearch({
      storage,
      queue,
      platforms: [tiktok({ apiKey: "test", baseUrl: BASE, retries: 0, enrich: true })],
      recoverIntervalMs: 0,
    });
    const campaign = await cs.campaigns.create(USER, { name: "c" });
    const job = await cs.jobs.start(USER, { campaignId: campaign.id, platform: "tiktok", keywords: ["sourdough"], targetResults: 1000 });
    const first = queue.messages[0]!;
    await drain(cs.runStep, queue, 1);
    const stored = await storage.getPage(job.id, first.chain, first.step);
    expect(Object.keys((stored!.raw as TikTokEnrichedPage).profiles).length).toBeGreaterThan(0);
    const before = counts();
    // The same message delivered again: the claim is gone, no upstream call at all.
    await cs.runStep(first);
    expect(counts()).toEqual(before);
    const spent = (await cs.jobs.get(USER, job.id))!.apiCalls;
    await drain(cs.runStep, queue);
    const done = (await cs.jobs.get(USER, job.id))!;
    expect(done.apiCalls - spent).toBe(counts().search - before.search + (counts().profile - before.profile));
    await cs.close();
  });
});
