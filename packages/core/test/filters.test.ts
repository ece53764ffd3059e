import { createSandbox } from "@creatorsearch/sandbox";
import { sandboxHandlers } from "@creatorsearch/sandbox/msw";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Creator,
  type CreatorPost,
  type PlatformAdapter,
  ValidationError,
  averageViews,
  computeEngagement,
  createCreatorSearch,
  devAuth,
  failedFilters,
  hasFilters,
  matchesFilters,
  memoryQueue,
  memoryStorage,
  tiktok,
} from "../src/index.js";
import { drain, manualQueue } from "./helpers.js";
import { caller } from "./http-helpers.js";

const USER = "user-1";
const NOW = new Date("2026-06-01T00:00:00Z");

function post(id: string, views: number | null, daysAgo: number | null = 1): CreatorPost {
  const createdAt = daysAgo === null ? null : new Date(NOW.getTime() - daysAgo * 86_400_000).toISOString();
  return { id, url: null, caption: null, createdAt, likes: views === null ? null : views / 10, comments: 0, shares: 0, views, hashtags: [] };
}

function creatorOf(id: string, over: Partial<Creator> = {}): Creator {
  const posts = over.posts ?? [post(`p-${id}`, 1000)];
  const followers = over.followers === undefined ? 10_000 : over.followers;
  return {
    platform: "scripted",
    id,
    handle: id,
    name: null,
    followers,
    avatarUrl: null,
    profileUrl: null,
    bio: null,
    verified: null,
    emails: [],
    posts,
    hashtags: [],
    matchedKeywords: ["k"],
    ...over,
    engagement: computeEngagement(followers, posts),
  };
}

describe("job filter options", () => {
  const setup = () => {
    const queue = manualQueue();
    const platform: PlatformAdapter = {
      id: "scripted",
      name: "Scripted",
      modes: ["keyword"],
      planChains: ({ keywords }) => keywords.map((input, i) => ({ key: `k${i}`, input })),
      fetchPage: async () => ({ ids: [] }),
      parsePage: () => ({ creators: [], nextCursor: null, hasMore: false }),
    };
    const cs = createCreatorSearch({ storage: memoryStorage(), queue, platforms: [platform], recoverIntervalMs: 0 });
    const start = async (extra: Record<string, unknown>) => {
      const campaign = await cs.campaigns.create(USER, { name: "c" });
      return cs.jobs.start(USER, { campaignId: campaign.id, platform: "scripted", keywords: ["k"], ...extra } as never);
    };
    return { cs, start };
  };

  it("stores the filters set on the job, and none when none is set", async () => {
    const { start } = setup();
    const job = await start({ minFollowers: 1000, maxFollowers: 50_000, hasEmail: true, verifiedOnly: false, postedWithinDays: 30 });
    expect(job.options.filters).toEqual({ minFollowers: 1000, maxFollowers: 50_000, hasEmail: true, verifiedOnly: false, postedWithinDays: 30 });
    expect(job.filtered).toBe(0);
    expect((await start({})).options.filters).toBeUndefined();
    // false flags filter nothing: no filters stored.
    expect((await start({ verifiedOnly: false, hasEmail: false })).options.filters).toBeUndefined();
  });

  it.each([
    [{ minFollowers: 5000, maxFollowers: 100 }, "maxFollowers: must be at least minFollowers (5000)"],
    [{ minFollowers: -1 }, "minFollowers: must be at least 0"],
    [{ minFollowers: "lots" }, "minFollowers: must be a number"],
    [{ maxFollowers: 1.5 }, "maxFollowers: must be a whole number"],
    [{ verifiedOnly: "yes" }, "verifiedOnly: must be true or false"],
    [{ hasEmail: 1 }, "hasEmail: must be true or false"],
    [{ minEngagementRate: 3 * 10 }, "minEngagementRate: must be a fraction such as 0.03"],
    [{ minEngagementRate: -0.1 }, "minEngagementRate: must be at least 0"],
    [{ minAvgViews: -5 }, "minAvgViews: must be at least 0"],
    [{ postedWithinDays: 0 }, "postedWithinDays: must be at least 1"],
    [{ postedWithinDays: 2.5 }, "postedWithinDays: must be a whole number of days"],
    [{ enrich: "please" }, "enrich: must be true or false"],
  ])("refuses %j with a message naming the field", async (input, message) => {
    const { start } = setup();
    const error = await start(input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toContain(message);
  });
});

describe("matchesFilters", () => {
  it.each([
    ["minFollowers", { minFollowers: 5000 }, { followers: 4999 }, { followers: 5000 }],
    ["maxFollowers", { maxFollowers: 5000 }, { followers: 5001 }, { followers: 5000 }],
    ["verifiedOnly", { verifiedOnly: true }, { verified: false }, { verified: true }],
    ["hasEmail", { hasEmail: true }, { emails: [] }, { emails: ["a@b.co"] }],
    ["minAvgViews", { minAvgViews: 500 }, { posts: [post("a", 100), post("b", 800)] }, { posts: [post("a", 200), post("b", 800)] }],
    ["postedWithinDays", { postedWithinDays: 7 }, { posts: [post("a", 10, 8)] }, { posts: [post("a", 10, 8), post("b", 10, 6)] }],
    // byFollowers = median(likes + comments) / followers = 100 / 10_000 = 1 %.
    ["minEngagementRate", { minEngagementRate: 0.02 }, { posts: [post("a", 1000)] }, { posts: [post("a", 2000)] }],
  ])("%s: fails below the bound, passes at it", (name, filters, failing, passing) => {
    expect(failedFilters(creatorOf("x", failing), filters, NOW)).toEqual([name]);
    expect(matchesFilters(creatorOf("x", passing), filters, NOW)).toBe(true);
  });

  it.each([
    ["minFollowers", { minFollowers: 1 }, { followers: null }],
    ["maxFollowers", { maxFollowers: 1_000_000 }, { followers: null }],
    ["verifiedOnly", { verifiedOnly: true }, { verified: null }],
    ["minAvgViews", { minAvgViews: 1 }, { posts: [post("a", null)] }],
    ["postedWithinDays", { postedWithinDays: 3650 }, { posts: [post("a", 10, null)] }],
    ["minEngagementRate", { minEngagementRate: 0 }, { followers: null, posts: [post("a", null)] }],
  ])("%s: an unknown input fails (it cannot be shown to pass)", (name, filters, over) => {
    expect(failedFilters(creatorOf("x", over), filters, NOW)).toEqual([name]);
  });

  it("falls back to byViews for the engagement rate when followers are unknown", () => {
    // likes / views = 10 %.
    expect(matchesFilters(creatorOf("x", { followers: null }), { minEngagementRate: 0.1 }, NOW)).toBe(true);
    expect(matchesFilters(creatorOf("x", { followers: null }), { minEngagementRate: 0.11 }, NOW)).toBe(false);
  });

  it("lists every filter a creator fails, and passes with no filter set", () => {
    const c = creatorOf("x", { followers: 10, verified: false });
    expect(failedFilters(c, { minFollowers: 100, verifiedOnly: true, hasEmail: true }, NOW)).toEqual(["minFollowers", "verifiedOnly", "hasEmail"]);
    expect(matchesFilters(c, {}, NOW)).toBe(true);
    expect(hasFilters({})).toBe(false);
    expect(hasFilters({ verifiedOnly: false })).toBe(false);
    expect(hasFilters({ minAvgViews: 0 })).toBe(true);
  });
});

/** A platform whose page i holds `pages[i]`: creators as `[id, followers]`, each with one post. */
function pagedPlatform(pages: [string, number | null][][]) {
  const platform: PlatformAdapter = {
    id: "scripted",
    name: "Scripted",
    modes: ["keyword"],
    planChains: ({ keywords }) => keywords.map((input, i) => ({ key: `k${i}`, input })),
    async fetchPage({ chain }) {
      return { index: Number(chain.cursor ?? 0) };
    },
    parsePage(raw) {
      const { index } = raw as { index: number };
      const more = index + 1 < pages.length;
      const creators = (pages[index] ?? []).map(([id, followers]) => creatorOf(id, { followers, posts: [post(`p-${id}-${index}`, 1000)] }));
      return { creators, nextCursor: more ? String(index + 1) : null, hasMore: more };
    },
  };
  return platform;
}

describe("filtered jobs", () => {
  const run = async (pages: [string, number | null][][], input: Record<string, unknown>) => {
    const queue = manualQueue();
    const cs = createCreatorSearch({ storage: memoryStorage(), queue, platforms: [pagedPlatform(pages)], recoverIntervalMs: 0, now: () => NOW });
    const campaign = await cs.campaigns.create(USER, { name: "c" });
    const started = await cs.jobs.start(USER, { campaignId: campaign.id, platform: "scripted", keywords: ["k"], ...input } as never);
    await drain(cs.runStep, queue);
    const job = (await cs.jobs.get(USER, started.id))!;
    const items = (await cs.results.list(USER, { jobId: job.id, limit: 100 })).items;
    return { job, ids: items.map((c) => c.id) };
  };

  it("keeps failing creators out of results and of the target, and reports how many were filtered", async () => {
    const pages: [string, number | null][][] = [
      [["a", 100], ["b", 5000], ["c", 200]],
      [["d", 8000], ["e", 50]],
      [["f", 9000], ["g", 10]],
    ];
    const { job, ids } = await run(pages, { minFollowers: 1000, targetResults: 2 });
    // Page 0 brings one passing creator: the job goes on until two pass.
    expect(ids).toEqual(["b", "d"]);
    expect(job).toMatchObject({ status: "completed", stopReason: "target_reached", processedResults: 2, filtered: 3, processedRuns: 2, apiCalls: 2 });
  });

  it("admits a creator that failed on an earlier page once a later page makes it pass, after the others", async () => {
    const pages: [string, number | null][][] = [
      [["a", null], ["b", 5000]],
      [["c", 6000], ["a", 7000]],
    ];
    const { job, ids } = await run(pages, { minFollowers: 1000, targetResults: 10 });
    expect(ids).toEqual(["b", "c", "a"]);
    expect(job).toMatchObject({ status: "completed", stopReason: "exhausted", processedResults: 3, filtered: 0 });
  });

  it("without filters, every creator is a result", async () => {
    const { job, ids } = await run([[["a", 1], ["b", null]]], { targetResults: 10 });
    expect(ids).toEqual(["a", "b"]);
    expect(job).toMatchObject({ processedResults: 2, filtered: 0 });
  });
});

describe("filters on TikTok search through the sandbox", () => {
  const BASE = "https://filters.test";
  const sandbox = createSandbox({ resultsPerQuery: 90 });
  const server = setupServer(...sandboxHandlers({ sandbox, baseUrl: BASE }));
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterAll(() => server.close());

  const search = async (input: Record<string, unknown>) => {
    const cs = createCreatorSearch({
      storage: memoryStorage(),
      queue: memoryQueue({ concurrency: 2 }),
      platforms: [tiktok({ apiKey: "test", baseUrl: BASE, retries: 0 })],
      recoverIntervalMs: 0,
    });
    const campaign = await cs.campaigns.create(USER, { name: "c" });
    const started = await cs.jobs.start(USER, { campaignId: campaign.id, platform: "tiktok", keywords: ["sourdough"], targetResults: 1000, ...input });
    const job = await cs.jobs.wait(USER, started.id, { timeoutMs: 20_000, pollMs: 20 });
    const items = (await cs.results.list(USER, { jobId: job.id, limit: 1000 })).items;
    await cs.close();
    return { job, items };
  };

  it("returns only creators inside the follower range and with enough views, and counts the rest", async () => {
    const all = await search({});
    const followers = all.items.map((c) => c.followers!).sort((a, b) => a - b);
    const [min, max] = [followers[Math.floor(followers.length / 4)]!, followers[Math.floor((followers.length * 3) / 4)]!];
    const filtered = await search({ minFollowers: min, maxFollowers: max, minAvgViews: 1 });
    expect(filtered.job.status).toBe("completed");
    expect(filtered.items.length).toBeGreaterThan(0);
    expect(filtered.items.length).toBeLessThan(all.items.length);
    for (const c of filtered.items) {
      expect(c.followers).toBeGreaterThanOrEqual(min);
      expect(c.followers).toBeLessThanOrEqual(max);
      expect(averageViews(c.posts)).toBeGreaterThanOrEqual(1);
    }
    expect(filtered.job.processedResults).toBe(filtered.items.length);
    expect(filtered.job.processedResults + filtered.job.filtered).toBe(all.job.processedResults);
    // The same pages were read: filters cost no extra credits.
    expect(filtered.job.apiCalls).toBe(all.job.apiCalls);
  });
});

describe("filters over HTTP", () => {
  it("POST /scraping/:platform passes filters to the job, and a bad one is a 400 naming the field", async () => {
    const cs = createCreatorSearch({
      storage: memoryStorage(),
      queue: manualQueue(),
      platforms: [pagedPlatform([[["a", 100], ["b", 5000]]])],
      recoverIntervalMs: 0,
      http: { authenticate: devAuth() },
    });
    const call = caller(cs);
    const campaign = await call("POST", "/api/campaigns", { body: { name: "c" } });
    const bad = await call("POST", "/api/scraping/scripted", { body: { campaignId: campaign.json.id, keywords: ["k"], minFollowers: 10, maxFollowers: 5 } });
    expect(bad.status).toBe(400);
    expect(bad.json.issues).toEqual([{ field: "maxFollowers", reason: "must be at least minFollowers (10)" }]);
    const wrongType = await call("POST", "/api/scraping/scripted", { body: { campaignId: campaign.json.id, keywords: ["k"], hasEmail: "yes" } });
    expect(wrongType.json.issues).toEqual([{ field: "hasEmail", reason: "must be true or false" }]);

    const started = await call("POST", "/api/scraping/scripted", { body: { campaignId: campaign.json.id, keywords: ["k"], minFollowers: 1000, enrich: true } });
    expect(started.status).toBe(202);
    const job = await cs.jobs.get("alice", started.json.jobId);
    expect(job!.options).toEqual({ enrich: true, filters: { minFollowers: 1000 } });
    await cs.runStep({ jobId: job!.id, chain: "k0", step: 0 });
    const poll = await call("GET", `/api/scraping/scripted?jobId=${job!.id}`);
    expect(poll.json).toMatchObject({ status: "completed", processedResults: 1, filtered: 1 });
    expect(poll.json.results[0].creators.map((c: { creator: { name: string } }) => c.creator)).toHaveLength(1);
    await cs.close();
  });
});
