/**
 * The storage contract as executable tests: every StorageAdapter must pass them. Called by the
 * tests of each adapter with a factory that returns a fresh, empty storage.
 * (Becomes `@creatorsearch/test-utils/storage` when the conformance suite is published.)
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Campaign, Creator, SearchChain, SearchJob, StorageAdapter } from "../src/index.js";
import { creator } from "./helpers.js";

const T0 = new Date("2026-01-01T00:00:00.000Z");
const at = (ms: number) => new Date(T0.getTime() + ms);

export function campaignFixture(id: string, userId: string, extra: Partial<Campaign> = {}): Campaign {
  return {
    id,
    userId,
    name: `Campaign ${id}`,
    description: null,
    searchType: "keyword",
    status: "draft",
    platforms: ["tiktok"],
    createdAt: T0,
    updatedAt: T0,
    archivedAt: null,
    ...extra,
  };
}

export function jobFixture(id: string, campaign: Campaign, extra: Partial<SearchJob> = {}): SearchJob {
  return {
    id,
    userId: campaign.userId,
    campaignId: campaign.id,
    platform: "scripted",
    mode: "keyword",
    keywords: ["soup", "bread"],
    targetHandle: null,
    targetResults: 10,
    status: "pending",
    processedRuns: 0,
    processedResults: 0,
    progress: 0,
    apiCalls: 0,
    dryPages: 0,
    stopReason: null,
    error: null,
    options: { region: "US" },
    timeoutAt: at(3_600_000),
    createdAt: T0,
    updatedAt: T0,
    startedAt: null,
    completedAt: null,
    ...extra,
  };
}

export function chainFixture(jobId: string, key: string, input = key): SearchChain {
  return { jobId, key, input, cursor: null, step: 0, exhausted: false, leaseOwner: null, leaseExpiresAt: null, updatedAt: T0 };
}

const creators = (keyword: string, ...ids: string[]): Creator[] => ids.map((id) => creator(id, keyword));

export function describeStorageContract(name: string, open: () => StorageAdapter | Promise<StorageAdapter>): void {
  describe(`storage contract: ${name}`, () => {
    let storage: StorageAdapter;
    let campaign: Campaign;

    beforeEach(async () => {
      storage = await open();
      campaign = await storage.createCampaign(campaignFixture("c1", "alice"));
    });
    afterEach(async () => {
      await storage.close();
    });

    /** A job with chains `soup` and `bread`, and a claim on step 0 of `soup` by `w1`. */
    async function claimedJob(extra: Partial<SearchJob> = {}) {
      const job = jobFixture("j1", campaign, extra);
      await storage.createJob(job, [chainFixture("j1", "soup"), chainFixture("j1", "bread")]);
      const claim = await storage.claimStep({ jobId: "j1", chain: "soup", step: 0, owner: "w1", leaseMs: 60_000, now: at(1000) });
      expect(claim.status).toBe("claimed");
      return job;
    }
    const commit = (step: number, page: Creator[], extra: { owner?: string; exhausted?: boolean; now?: Date; chain?: string } = {}) =>
      storage.commitPage({
        jobId: "j1",
        chain: extra.chain ?? "soup",
        step,
        owner: extra.owner ?? "w1",
        creators: page,
        nextCursor: String((step + 1) * 30),
        exhausted: extra.exhausted ?? false,
        now: extra.now ?? at(2000 + step),
      });
    const claim = (step: number, owner = "w1", now = at(1500 + step), chain = "soup") =>
      storage.claimStep({ jobId: "j1", chain, step, owner, leaseMs: 60_000, now });

    describe("campaigns", () => {
      it("round-trips every field, dates included", async () => {
        expect(await storage.getCampaign("alice", "c1")).toEqual(campaignFixture("c1", "alice"));
      });
      it("hides another user's campaign behind the same answer as a missing one", async () => {
        expect(await storage.getCampaign("mallory", "c1")).toBeNull();
        expect(await storage.getCampaign("alice", "nope")).toBeNull();
        expect(await storage.updateCampaign("mallory", "c1", { name: "pwned" }, at(1))).toBeNull();
        expect((await storage.getCampaign("alice", "c1"))!.name).toBe("Campaign c1");
        expect(await storage.listCampaigns("mallory", { limit: 10 })).toEqual([]);
      });
      it("lists newest first with paging, archived ones only on request", async () => {
        await storage.createCampaign(campaignFixture("c2", "alice", { createdAt: at(10) }));
        await storage.createCampaign(campaignFixture("c3", "alice", { createdAt: at(20), archivedAt: at(30) }));
        await storage.createCampaign(campaignFixture("c4", "bob", { createdAt: at(40) }));
        expect((await storage.listCampaigns("alice", { limit: 10 })).map((c) => c.id)).toEqual(["c2", "c1"]);
        expect((await storage.listCampaigns("alice", { limit: 10, includeArchived: true })).map((c) => c.id)).toEqual(["c3", "c2", "c1"]);
        expect((await storage.listCampaigns("alice", { limit: 1, offset: 1, includeArchived: true })).map((c) => c.id)).toEqual(["c2"]);
      });
      it("updates only the fields given, and the update time", async () => {
        const updated = await storage.updateCampaign("alice", "c1", { status: "active", description: undefined, platforms: ["tiktok", "youtube"] }, at(5));
        expect(updated).toEqual({ ...campaignFixture("c1", "alice"), status: "active", platforms: ["tiktok", "youtube"], updatedAt: at(5) });
        expect(await storage.getCampaign("alice", "c1")).toEqual(updated);
      });
    });

    describe("jobs and chains", () => {
      it("round-trips a job and its chains", async () => {
        const job = jobFixture("j1", campaign, { keywords: ["soup recipes", "fall cooking"], targetHandle: null });
        await storage.createJob(job, [chainFixture("j1", "k1", "soup recipes"), chainFixture("j1", "k0", "fall cooking")]);
        expect(await storage.getJob("j1")).toEqual(job);
        expect(await storage.getJob("j1", "alice")).toEqual(job);
        expect(await storage.getJob("j1", "mallory")).toBeNull();
        expect((await storage.listChains("j1")).map((c) => [c.key, c.input])).toEqual([
          ["k0", "fall cooking"],
          ["k1", "soup recipes"],
        ]);
        expect((await storage.listChains("j1"))[0]).toEqual(chainFixture("j1", "k0", "fall cooking"));
      });
      it("lists a user's jobs newest first, filtered by campaign and status", async () => {
        await storage.createCampaign(campaignFixture("c2", "alice"));
        const c2 = (await storage.getCampaign("alice", "c2"))!;
        await storage.createJob(jobFixture("j1", campaign, { createdAt: at(1) }), []);
        await storage.createJob(jobFixture("j2", c2, { createdAt: at(2), status: "completed" }), []);
        await storage.createJob(jobFixture("j3", campaign, { createdAt: at(3) }), []);
        expect((await storage.listJobs("alice", { limit: 10 })).map((j) => j.id)).toEqual(["j3", "j2", "j1"]);
        expect((await storage.listJobs("alice", { limit: 10, campaignId: "c1" })).map((j) => j.id)).toEqual(["j3", "j1"]);
        expect((await storage.listJobs("alice", { limit: 10, status: "completed" })).map((j) => j.id)).toEqual(["j2"]);
        expect(await storage.listJobs("bob", { limit: 10 })).toEqual([]);
        expect((await storage.listUnfinishedJobs({ limit: 10 })).map((j) => j.id)).toEqual(["j1", "j3"]);
      });
    });

    describe("claimStep", () => {
      it("claims, moves a pending job to processing, and sets the lease", async () => {
        await storage.createJob(jobFixture("j1", campaign), [chainFixture("j1", "soup")]);
        const result = await claim(0, "w1", at(100));
        expect(result.status).toBe("claimed");
        if (result.status !== "claimed") return;
        expect(result.job.status).toBe("processing");
        expect(result.job.startedAt).toEqual(at(100));
        expect(result.chain.leaseOwner).toBe("w1");
        expect(result.chain.leaseExpiresAt).toEqual(at(60_100));
        expect((await storage.getJob("j1"))!.status).toBe("processing");
      });
      it("answers busy to another owner while the lease runs, and lets it claim after expiry", async () => {
        await claimedJob();
        expect(await claim(0, "w2", at(30_000))).toEqual({ status: "busy", leaseExpiresAt: at(61_000) });
        expect((await claim(0, "w1", at(30_000))).status).toBe("claimed"); // the owner may re-claim (redelivery to itself)
        const late = await claim(0, "w2", at(200_000));
        expect(late.status).toBe("claimed");
        if (late.status === "claimed") expect(late.chain.leaseOwner).toBe("w2");
      });
      it("answers done for a past or future step, a finished job, an exhausted chain, unknown ids", async () => {
        await claimedJob();
        expect(await claim(1, "w2")).toEqual({ status: "done" });
        await commit(0, creators("soup", "a"));
        expect(await claim(0, "w2")).toEqual({ status: "done" });
        expect((await claim(1, "w2")).status).toBe("claimed");
        await commit(1, [], { owner: "w2", exhausted: true });
        expect(await claim(2, "w2")).toEqual({ status: "done" });
        expect(await storage.claimStep({ jobId: "nope", chain: "soup", step: 0, owner: "w", leaseMs: 1, now: at(0) })).toEqual({ status: "done" });
        await storage.finishJob({ jobId: "j1", status: "cancelled", stopReason: "cancelled", now: at(5000) });
        expect(await claim(0, "w3", at(9000), "bread")).toEqual({ status: "done" });
      });
      it("gives exactly one of 20 concurrent claimers the step", async () => {
        await storage.createJob(jobFixture("j1", campaign), [chainFixture("j1", "soup")]);
        const results = await Promise.all(Array.from({ length: 20 }, (_, i) => claim(0, `w${i}`, at(100))));
        expect(results.filter((r) => r.status === "claimed")).toHaveLength(1);
        expect(results.filter((r) => r.status === "busy")).toHaveLength(19);
      });
      it("releaseStep frees the lease only for its owner", async () => {
        await claimedJob();
        await storage.releaseStep({ jobId: "j1", chain: "soup", step: 0, owner: "w2" });
        expect((await claim(0, "w2", at(2000))).status).toBe("busy");
        await storage.releaseStep({ jobId: "j1", chain: "soup", step: 0, owner: "w1" });
        expect((await claim(0, "w2", at(2000))).status).toBe("claimed");
      });
    });

    describe("pages and budget", () => {
      it("stores a raw page once (insert-or-ignore)", async () => {
        await claimedJob();
        expect(await storage.getPage("j1", "soup", 0)).toBeNull();
        const raw = { search_item_list: [{ aweme_info: { id: 1 } }], cursor: 30, has_more: 1 };
        await storage.savePage({ jobId: "j1", chain: "soup", step: 0, raw, fetchedAt: at(10) });
        await storage.savePage({ jobId: "j1", chain: "soup", step: 0, raw: { other: true }, fetchedAt: at(20) });
        expect(await storage.getPage("j1", "soup", 0)).toEqual({ jobId: "j1", chain: "soup", step: 0, raw, fetchedAt: at(10) });
        expect(await storage.getPage("j1", "bread", 0)).toBeNull();
      });
      it("reserves API calls up to the budget, atomically", async () => {
        await claimedJob();
        const results = await Promise.all(Array.from({ length: 8 }, () => storage.reserveApiCall("j1", 5)));
        expect(results.filter(Boolean)).toHaveLength(5);
        expect((await storage.getJob("j1"))!.apiCalls).toBe(5);
        expect(await storage.reserveApiCall("nope", 5)).toBe(false);
      });
    });

    describe("commitPage", () => {
      it("stores new creators, advances the chain, and derives counters from rows", async () => {
        await claimedJob();
        const result = await commit(0, creators("soup", "a", "b", "c"));
        expect(result!.newCreators).toBe(3);
        expect(result!.chain).toMatchObject({ step: 1, cursor: "30", exhausted: false, leaseOwner: null, leaseExpiresAt: null });
        expect(result!.job).toMatchObject({ processedResults: 3, processedRuns: 1, dryPages: 0, progress: 30 });
        expect(await storage.getJob("j1")).toEqual(result!.job);
        const listed = await storage.listCreators("j1", { limit: 10 });
        expect(listed.map((c) => c.id)).toEqual(["a", "b", "c"]);
        expect(listed[0]).toEqual({ ...creator("a", "soup"), seq: listed[0]!.seq, firstSeenAt: at(2000) });
      });
      it("merges a creator seen before, keeping its place, and counts it once", async () => {
        await claimedJob();
        await commit(0, creators("soup", "a", "b"));
        await claim(1);
        await commit(1, creators("soup", "b"));
        await claim(0, "w1", at(1600), "bread");
        const r = await commit(0, creators("bread", "b", "c"), { chain: "bread", now: at(3000) });
        expect(r!.newCreators).toBe(1);
        expect(r!.job).toMatchObject({ processedResults: 3, processedRuns: 3 });
        const listed = await storage.listCreators("j1", { limit: 10 });
        expect(listed.map((c) => c.id)).toEqual(["a", "b", "c"]);
        const b = listed[1]!;
        expect(b.matchedKeywords).toEqual(["soup", "bread"]);
        expect(b.posts.map((p) => p.id)).toEqual(["p-b-soup", "p-b-bread"]);
        expect(b.firstSeenAt).toEqual(at(2000));
      });
      it("counts dry pages in a row and resets on a page with something new", async () => {
        await claimedJob();
        await commit(0, creators("soup", "a"));
        await claim(1);
        expect((await commit(1, creators("soup", "a")))!.job.dryPages).toBe(1);
        await claim(2);
        expect((await commit(2, []))!.job.dryPages).toBe(2);
        await claim(3);
        expect((await commit(3, creators("soup", "z")))!.job.dryPages).toBe(0);
      });
      it("is idempotent: a replayed, stale or unclaimed commit writes nothing", async () => {
        await claimedJob();
        await commit(0, creators("soup", "a"));
        const before = await storage.getJob("j1");
        expect(await commit(0, creators("soup", "a", "b"))).toBeNull(); // replay of step 0
        expect(await commit(1, creators("soup", "b"))).toBeNull(); // step 1 never claimed
        await claim(1, "w1");
        expect(await commit(1, creators("soup", "b"), { owner: "w2" })).toBeNull(); // not the owner
        expect(await storage.getJob("j1")).toEqual(before);
        expect((await storage.listCreators("j1", { limit: 10 })).map((c) => c.id)).toEqual(["a"]);
      });
      it("keeps the last cursor when the chain is exhausted", async () => {
        await claimedJob();
        await commit(0, creators("soup", "a"));
        await claim(1);
        const r = await commit(1, [], { exhausted: true });
        expect(r!.chain).toMatchObject({ step: 2, cursor: "30", exhausted: true });
      });
      it("refuses commits to a finished job", async () => {
        await claimedJob();
        await storage.finishJob({ jobId: "j1", status: "cancelled", stopReason: "cancelled", now: at(1500) });
        expect(await commit(0, creators("soup", "a"))).toBeNull();
        expect(await storage.listCreators("j1", { limit: 10 })).toEqual([]);
      });
      it("keeps creators of different jobs apart", async () => {
        await claimedJob();
        await storage.createJob(jobFixture("j2", campaign), [chainFixture("j2", "soup")]);
        await storage.claimStep({ jobId: "j2", chain: "soup", step: 0, owner: "w1", leaseMs: 60_000, now: at(1) });
        await commit(0, creators("soup", "a", "b"));
        const r = await storage.commitPage({ jobId: "j2", chain: "soup", step: 0, owner: "w1", creators: creators("soup", "a"), nextCursor: null, exhausted: true, now: at(3) });
        expect(r!.newCreators).toBe(1);
        expect(r!.job.processedResults).toBe(1);
      });
    });

    describe("finishJob", () => {
      it("ends a job once; progress 100 when the target is reached", async () => {
        await claimedJob();
        const done = await storage.finishJob({ jobId: "j1", status: "completed", stopReason: "target_reached", now: at(9000) });
        expect(done).toMatchObject({ status: "completed", stopReason: "target_reached", progress: 100, completedAt: at(9000), error: null });
        expect(await storage.finishJob({ jobId: "j1", status: "error", stopReason: "error", error: "late", now: at(9500) })).toBeNull();
        expect(await storage.getJob("j1")).toEqual(done);
        expect(await storage.listUnfinishedJobs({ limit: 10 })).toEqual([]);
      });
      it("keeps the error message", async () => {
        await claimedJob();
        const failed = await storage.finishJob({ jobId: "j1", status: "error", stopReason: "error", error: "out of credits", now: at(9000) });
        expect(failed).toMatchObject({ status: "error", error: "out of credits", progress: 0 });
      });
    });

    describe("listCreators", () => {
      it("pages with a keyset cursor that stays stable while inserts go on", async () => {
        await claimedJob();
        await commit(0, creators("soup", "a", "b", "c", "d"));
        const first = await storage.listCreators("j1", { limit: 2 });
        expect(first.map((c) => c.id)).toEqual(["a", "b"]);
        await claim(1);
        await commit(1, creators("soup", "e", "a", "f"));
        const rest: string[] = [];
        let after = first.at(-1)!.seq;
        for (;;) {
          const batch = await storage.listCreators("j1", { after, limit: 2 });
          if (batch.length === 0) break;
          rest.push(...batch.map((c) => c.id));
          after = batch.at(-1)!.seq;
        }
        expect(rest).toEqual(["c", "d", "e", "f"]);
        const seqs = (await storage.listCreators("j1", { limit: 100 })).map((c) => c.seq);
        expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
        expect(new Set(seqs).size).toBe(6);
      });
    });
  });
}
