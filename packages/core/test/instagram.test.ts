import { createSandbox } from "@creatorsearch/sandbox";
import { sandboxHandlers } from "@creatorsearch/sandbox/msw";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { MAX_WALK_QUEUE, advanceWalk, decodeWalk, encodeWalk, startWalk } from "../src/platforms/instagram/walk.js";
import { manualQueue } from "./helpers.js";
import { caller } from "./http-helpers.js";
import {
  type StorageAdapter,
  ValidationError,
  createCreatorSearch,
  instagram,
  memoryQueue,
  devAuth,
  memoryStorage,
  parseInstagramHandle,
} from "../src/index.js";

const BASE = "https://instagram.test";
const USER = "user-1";
const sandbox = createSandbox({ resultsPerQuery: 120 });
const server = setupServer(...sandboxHandlers({ sandbox, baseUrl: BASE }));
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** A recorded-shape profile body; `related` lists `[username, isPrivate]`. */
function profile(username: string, related: Array<[string, boolean]> | null, extra: Record<string, unknown> = {}) {
  return {
    success: true,
    credits_remaining: 100,
    status: "ok",
    data: {
      user: {
        id: `id-${username}`,
        username,
        full_name: username.toUpperCase(),
        biography: `Hi, I am ${username}. Collabs: ${username}@Example.com`,
        edge_followed_by: { count: 1000 },
        is_verified: false,
        is_private: false,
        business_email: `Biz.${username}@example.com`,
        profile_pic_url: `https://scontent.cdninstagram.com/${username}.jpg`,
        edge_owner_to_timeline_media: {
          count: 1,
          edges: [
            {
              node: {
                id: `post-${username}`,
                shortcode: `sc${username}`,
                product_type: "clips",
                taken_at_timestamp: 1_750_000_000,
                video_view_count: 500,
                edge_liked_by: { count: 40 },
                edge_media_to_comment: { count: 10 },
                edge_media_to_caption: { edges: [{ node: { text: "Bread day #Sourdough #baking" } }] },
              },
            },
          ],
        },
        ...(related
          ? {
              edge_related_profiles: {
                edges: related.map(([name, isPrivate]) => ({
                  node: { id: `id-${name}`, username: name, full_name: name, is_verified: false, is_private: isPrivate, profile_pic_url: null },
                })),
              },
            }
          : {}),
        ...extra,
      },
    },
  };
}

/** Serves a small related-profiles graph and counts calls per handle. */
function serveGraph(graph: Record<string, Array<[string, boolean]> | null>, extra: Record<string, Record<string, unknown>> = {}) {
  const calls: string[] = [];
  server.use(
    http.get(`${BASE}/v1/instagram/profile`, ({ request }) => {
      const handle = new URL(request.url).searchParams.get("handle")!;
      calls.push(handle);
      if (!(handle in graph)) return HttpResponse.json({ success: true, credits_remaining: 1, data: { user: null } });
      return HttpResponse.json(profile(handle, graph[handle]!, extra[handle]));
    }),
  );
  return calls;
}

function setup(limits: object = {}) {
  const cs = createCreatorSearch({
    storage: memoryStorage(),
    queue: memoryQueue({ concurrency: 2 }),
    platforms: [instagram({ apiKey: "test", baseUrl: BASE, retries: 0 })],
    limits,
    recoverIntervalMs: 0,
  });
  const run = async (input: Record<string, unknown>) => {
    const campaign = await cs.campaigns.create(USER, { name: "IG" });
    const job = await cs.jobs.start(USER, { campaignId: campaign.id, platform: "instagram", ...input });
    const done = await cs.jobs.wait(USER, job.id, { timeoutMs: 20_000, pollMs: 20 });
    const items = (await cs.results.list(USER, { jobId: job.id, limit: 1000 })).items;
    return { job: done, items };
  };
  return { cs, run };
}

describe("parseInstagramHandle", () => {
  it.each([
    ["natgeo", "natgeo"],
    ["@NatGeo", "natgeo"],
    ["  @nat.geo_1 ", "nat.geo_1"],
    ["https://www.instagram.com/natgeo/", "natgeo"],
    ["http://instagram.com/natgeo?igsh=abc123", "natgeo"],
    ["instagram.com/natgeo", "natgeo"],
    ["https://m.instagram.com/natgeo/reels/", "natgeo"],
  ])("reads %j as %j", (input, handle) => {
    expect(parseInstagramHandle(input)).toBe(handle);
  });

  it.each([
    ["nat geo", "not a valid Instagram handle"],
    [".natgeo", "not a valid Instagram handle"],
    ["nat..geo", "not a valid Instagram handle"],
    ["a".repeat(31), "not a valid Instagram handle"],
    ["https://www.tiktok.com/@natgeo", "not an instagram.com profile URL"],
    ["https://www.instagram.com/p/DEmoAbC123x/", "not a profile URL"],
    ["https://www.instagram.com/", "names no profile"],
    ["@", "not a valid Instagram handle"],
  ])("refuses %j naming targetHandle", (input, reason) => {
    const error = (() => {
      try {
        parseInstagramHandle(input);
      } catch (e) {
        return e;
      }
    })() as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.issues[0]!.field).toBe("targetHandle");
    expect(error.issues[0]!.reason).toContain(reason);
  });

  it("is applied by jobs.start, which refuses a bad handle or a missing one before any call", async () => {
    const { cs } = setup();
    const campaign = await cs.campaigns.create(USER, { name: "c" });
    const start = (input: object) => cs.jobs.start(USER, { campaignId: campaign.id, platform: "instagram", ...input });
    await expect(start({ mode: "similar", targetHandle: "not a handle" })).rejects.toThrow(/targetHandle: "not a handle" is not a valid Instagram handle/);
    await expect(start({ mode: "similar" })).rejects.toThrow(/targetHandle: is required for a similar search/);
    const before = sandbox.creditsUsed;
    const job = await start({ targetHandle: "https://www.instagram.com/Some.Creator/" });
    expect(job.mode).toBe("similar");
    expect((await cs.jobs.chains(USER, job.id)).map((c) => c.input)).toEqual(["some.creator"]);
    await cs.jobs.cancel(USER, job.id);
    await cs.close();
    expect(sandbox.creditsUsed - before).toBeLessThanOrEqual(1);
  });
});

describe("instagram similar search", () => {
  it("reaches a target of 100 on the sandbox by walking related profiles breadth-first, seed excluded", async () => {
    const { cs, run } = setup();
    const before = sandbox.requestCount("/v1/instagram/profile");
    const { job, items } = await run({ mode: "similar", targetHandle: "@bakewithsunny", targetResults: 100 });
    await cs.close();
    expect(job.status).toBe("completed");
    expect(job.stopReason).toBe("target_reached");
    expect(job.processedResults).toBeGreaterThanOrEqual(100);
    expect(items.length).toBe(job.processedResults);
    expect(new Set(items.map((c) => c.id)).size).toBe(items.length);
    expect(items.map((c) => c.handle.toLowerCase())).not.toContain("bakewithsunny");
    expect(items.every((c) => c.platform === "instagram" && c.matchedKeywords.includes("@bakewithsunny"))).toBe(true);
    // One profile call per step, all counted against the budget.
    expect(sandbox.requestCount("/v1/instagram/profile") - before).toBe(job.apiCalls);
    expect(job.apiCalls).toBe(job.processedRuns);
    expect(job.apiCalls).toBeGreaterThan(1);
    // Visited profiles are filled in: followers, posts and engagement.
    const visited = items.filter((c) => c.followers !== null);
    expect(visited.length).toBe(job.apiCalls - 1);
    expect(visited.every((c) => c.posts.length > 0 || c.engagement.sampleSize === 0)).toBe(true);
  });

  it("visits in breadth-first order, never visits a profile twice, and completes when the graph is exhausted", async () => {
    const calls = serveGraph({
      seed: [["a", false], ["b", false], ["seed", false], ["p", true]],
      a: [["b", false], ["c", false], ["seed", false]],
      b: [["a", false], ["d", false]],
      c: [["a", false]],
      d: null,
    });
    const { cs, run } = setup();
    const { job, items } = await run({ targetHandle: "seed", targetResults: 100 });
    await cs.close();
    expect(calls).toEqual(["seed", "a", "b", "c", "d"]);
    expect(job).toMatchObject({ status: "completed", stopReason: "exhausted", apiCalls: 5, processedResults: 5 });
    expect(items.map((c) => c.handle).sort()).toEqual(["a", "b", "c", "d", "p"]);
    const a = items.find((c) => c.handle === "a")!;
    expect(a.followers).toBe(1000);
    expect(a.emails).toEqual(["a@example.com", "biz.a@example.com"]);
    expect(a.posts[0]).toMatchObject({ url: "https://www.instagram.com/reel/sca/", likes: 40, comments: 10, views: 500 });
    expect(a.hashtags).toEqual(["sourdough", "baking"]);
    expect(a.engagement).toEqual({ byFollowers: 0.05, byViews: 0.08, sampleSize: 1 });
    // A private related profile is a result, but is never visited.
    expect(items.find((c) => c.handle === "p")!.followers).toBeNull();
  });

  it("with a follower filter, keeps only profiles the walk visited and that pass (related nodes carry no counts)", async () => {
    serveGraph(
      { seed: [["a", false], ["b", false], ["p", true]], a: [["c", false]], b: [], c: [] },
      { b: { edge_followed_by: { count: 10 } } },
    );
    const { cs, run } = setup();
    const { job, items } = await run({ targetHandle: "seed", minFollowers: 500 });
    await cs.close();
    expect(job).toMatchObject({ status: "completed", stopReason: "exhausted", apiCalls: 4 });
    // a and c were visited (1000 followers); b was visited but has 10; p is private, never visited.
    expect(items.map((c) => c.handle).sort()).toEqual(["a", "c"]);
    expect(job.processedResults).toBe(2);
    expect(job.filtered).toBe(2);
  });

  it("stops at the API-call budget", async () => {
    serveGraph(
      Object.fromEntries(
        Array.from({ length: 40 }, (_, i) => [`n${i}`, Array.from({ length: 3 }, (_, j) => [`n${i * 3 + j + 1}`, false] as [string, boolean])]),
      ),
    );
    const { cs, run } = setup({ maxApiCallsPerJob: 4 });
    const { job } = await run({ targetHandle: "n0", targetResults: 1000 });
    await cs.close();
    expect(job).toMatchObject({ status: "completed", stopReason: "budget_spent", apiCalls: 4 });
    expect(job.processedResults).toBe(12);
  });

  it("ends with an error a person understands for an unknown handle (a billed data.user: null)", async () => {
    const { cs, run } = setup();
    const { job, items } = await run({ targetHandle: "notfound_creator" });
    await cs.close();
    expect(job.status).toBe("error");
    expect(job.error).toBe("Invalid input: targetHandle: Instagram has no account @notfound_creator (check the spelling)");
    expect(job.apiCalls).toBe(1);
    expect(items).toEqual([]);
  });

  it("ends with an error for a private target without related profiles", async () => {
    serveGraph({ locked: null }, { locked: { is_private: true, edge_owner_to_timeline_media: { count: 3, edges: [] } } });
    const { cs, run } = setup();
    const { job } = await run({ targetHandle: "locked" });
    await cs.close();
    expect(job.status).toBe("error");
    expect(job.error).toContain("@locked is a private account and Instagram shows no related profiles for it");
  });

  it("ends with an error for a target without related profiles (absent or empty)", async () => {
    serveGraph({ lonely: null, empty: [], onlyself: [["onlyself", false]] });
    const { cs, run } = setup();
    for (const handle of ["lonely", "empty", "onlyself"]) {
      const { job } = await run({ targetHandle: handle });
      expect(job.status).toBe("error");
      expect(job.error).toContain(`Instagram shows no related profiles for @${handle}`);
      expect(job.apiCalls).toBe(1);
    }
    await cs.close();
  });

  it("skips a related profile that vanished before its visit", async () => {
    const calls = serveGraph({ seed: [["gone", false], ["b", false]], b: [] });
    const { cs, run } = setup();
    const { job, items } = await run({ targetHandle: "seed" });
    await cs.close();
    expect(calls).toEqual(["seed", "gone", "b"]);
    expect(job).toMatchObject({ status: "completed", stopReason: "exhausted" });
    expect(items.map((c) => c.handle)).toEqual(["gone", "b"]);
  });
});

describe("instagram keyword search (reels)", () => {
  it("turns reels into their owners, one creator per owner, paging 1 to 11 at most", async () => {
    const pages: number[] = [];
    server.use(
      http.get(`${BASE}/v2/instagram/reels/search`, ({ request }) => {
        const page = Number(new URL(request.url).searchParams.get("page"));
        pages.push(page);
        if (page > 11) return HttpResponse.json({ success: false, message: "page must be between 1 and 11" }, { status: 400 });
        const reel = (i: number) => ({
          id: `r${page}-${i}`,
          shortcode: `s${page}${i}`,
          url: `https://www.instagram.com/reel/s${page}${i}/`,
          caption: "so good #Soup",
          taken_at: "2026-08-01T00:00:00.000Z",
          video_play_count: 1000,
          like_count: 50,
          comment_count: 5,
          owner: { id: `o${page}-${i % 2}`, username: `owner${page}_${i % 2}`, follower_count: 2000, is_verified: true },
        });
        return HttpResponse.json({ success: true, reels: [0, 1, 2].map(reel) });
      }),
    );
    const { cs, run } = setup();
    const { job, items } = await run({ keywords: ["soup"], targetResults: 1000 });
    await cs.close();
    expect(pages).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(job).toMatchObject({ status: "completed", stopReason: "exhausted", apiCalls: 11, processedResults: 22 });
    const first = items[0]!;
    expect(first).toMatchObject({ handle: "owner1_0", followers: 2000, verified: true, matchedKeywords: ["soup"], hashtags: ["soup"] });
    expect(first.posts.map((p) => p.id)).toEqual(["r1-0", "r1-2"]);
    expect(first.engagement).toEqual({ byFollowers: 0.0275, byViews: 0.05, sampleSize: 2 });
  });

  it("finds creators on the sandbox and ends on an empty page", async () => {
    const { cs, run } = setup();
    const { job, items } = await run({ keywords: ["sourdough"], targetResults: 1000 });
    await cs.close();
    expect(job.status).toBe("completed");
    expect(items.length).toBeGreaterThan(10);
    expect(items.every((c) => c.followers !== null && c.posts.length > 0)).toBe(true);
  });
});

describe("instagram similar walk under at-least-once delivery", () => {
  const GRAPH: Record<string, Array<[string, boolean]>> = {
    seed: [["a", false], ["b", false]],
    a: [["c", false], ["d", false]],
    b: [["d", false], ["e", false]],
    c: [],
    d: [["f", false]],
    e: [],
    f: [],
  };

  /** Runs a similar job by hand; `twice` delivers every message two times, `crashAt` fails one commit. */
  async function runByHand(options: { twice?: boolean; crashAtStep?: number }) {
    const calls = serveGraph(GRAPH);
    const base = memoryStorage();
    let crashed = false;
    const storage: StorageAdapter = {
      ...base,
      async commitPage(request) {
        if (request.step === options.crashAtStep && !crashed) {
          crashed = true;
          throw new Error("simulated crash after the raw page was stored");
        }
        return base.commitPage(request);
      },
    };
    const queue = manualQueue();
    const cs = createCreatorSearch({ storage, queue, platforms: [instagram({ apiKey: "test", baseUrl: BASE, retries: 0 })], recoverIntervalMs: 0 });
    const campaign = await cs.campaigns.create(USER, { name: "by hand" });
    const job = await cs.jobs.start(USER, { campaignId: campaign.id, platform: "instagram", targetHandle: "seed" });
    for (let i = 0; i < 100 && queue.messages.length; i++) {
      const message = queue.messages.shift()!;
      for (const _ of options.twice ? [1, 2] : [1]) {
        // A failed delivery is delivered again, as every queue does.
        await cs.runStep(message).catch(() => cs.runStep(message));
      }
    }
    const done = (await cs.jobs.get(USER, job.id))!;
    const handles = (await cs.results.list(USER, { jobId: job.id, limit: 100 })).items.map((c) => `${c.handle}:${c.followers ?? "?"}`);
    await cs.close();
    return { done, handles, calls };
  }

  it("gives the same creators and pays each profile once when steps are delivered twice or crash before commit", async () => {
    const plain = await runByHand({});
    expect(plain.done).toMatchObject({ status: "completed", stopReason: "exhausted", apiCalls: 7 });
    expect(plain.calls).toEqual(["seed", "a", "b", "c", "d", "e", "f"]);
    expect(plain.handles).toEqual(["a:1000", "b:1000", "c:1000", "d:1000", "e:1000", "f:1000"]);

    const doubled = await runByHand({ twice: true });
    expect(doubled.handles).toEqual(plain.handles);
    expect(doubled.calls).toEqual(plain.calls);
    expect(doubled.done.apiCalls).toBe(7);

    const crashed = await runByHand({ crashAtStep: 2 });
    expect(crashed.handles).toEqual(plain.handles);
    expect(crashed.calls).toEqual(plain.calls); // the stored raw page was reused, not bought again
    expect(crashed.done).toMatchObject({ status: "completed", apiCalls: 7 });
  });
});

describe("POST /api/scraping/instagram", () => {
  it("answers 400 naming targetHandle for a bad handle, 202 for a profile URL, and the job ends with the reason", async () => {
    const cs = createCreatorSearch({
      storage: memoryStorage(),
      queue: memoryQueue(),
      platforms: [instagram({ apiKey: "test", baseUrl: BASE, retries: 0 })],
      recoverIntervalMs: 0,
      http: { authenticate: devAuth() },
    });
    const call = caller(cs);
    const campaign = await call("POST", "/api/campaigns", { body: { name: "IG", searchType: "similar" } });
    const bad = await call("POST", "/api/scraping/instagram", { body: { campaignId: campaign.json.id, targetHandle: "@bad handle" } });
    expect(bad.status).toBe(400);
    expect(bad.json.issues).toEqual([{ field: "targetHandle", reason: expect.stringContaining("not a valid Instagram handle") }]);

    const unknown = await call("POST", "/api/scraping/instagram", { body: { campaignId: campaign.json.id, targetHandle: "instagram.com/notfound_x" } });
    expect(unknown.status).toBe(202);
    await cs.jobs.wait("alice", unknown.json.jobId, { timeoutMs: 10_000, pollMs: 20 });
    const poll = await call("GET", `/api/scraping/instagram?jobId=${unknown.json.jobId}`);
    expect(poll.json).toMatchObject({ status: "error", error: expect.stringContaining("Instagram has no account @notfound_x") });
    await cs.close();
  });
});

describe("related-profiles walk state", () => {
  it("queues breadth-first, lower-cased, never a visited or queued handle twice, and caps the queue", () => {
    let walk = startWalk("seed");
    walk = advanceWalk(walk, ["A", "b", "a", "seed"]);
    expect(walk).toEqual({ next: ["a", "b"], visited: ["seed"] });
    walk = advanceWalk(walk, ["b", "c", "seed", "a"]);
    expect(walk).toEqual({ next: ["b", "c"], visited: ["seed", "a"] });
    const many = advanceWalk(walk, Array.from({ length: 2 * MAX_WALK_QUEUE }, (_, i) => `h${i}`));
    expect(many.next).toHaveLength(MAX_WALK_QUEUE);
    expect(many.next.slice(0, 2)).toEqual(["c", "h0"]);
    expect(decodeWalk(encodeWalk(many), "seed")).toEqual(many);
  });

  it("starts from the seed without a cursor and refuses a cursor it did not write", () => {
    expect(decodeWalk(null, "seed")).toEqual({ next: ["seed"], visited: [] });
    expect(() => decodeWalk("42", "seed")).toThrow(/cursor: is not a walk state written by this adapter/);
    expect(() => decodeWalk("{nope", "seed")).toThrow(/cursor/);
  });
});
