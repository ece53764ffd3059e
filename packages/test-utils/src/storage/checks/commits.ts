import { expect } from "vitest";
import type { StorageCheck } from "../context.js";
import { at, chainFixture, creatorFixture, creatorsFixture, jobFixture } from "../fixtures.js";

/** `commitPage` and `finishJob`: idempotent, conditioned on the claim, counters from rows. */
export const commitChecks = {
  "commitPage: stores new creators, advances the chain, derives counters": {
    async run({ storage, claimedJob, commit }) {
      await claimedJob();
      const result = await commit(0, creatorsFixture("soup", "a", "b", "c"));
      expect(result!.newCreators).toBe(3);
      expect(result!.chain).toMatchObject({ step: 1, cursor: "30", exhausted: false, leaseOwner: null, leaseExpiresAt: null });
      expect(result!.job).toMatchObject({ processedResults: 3, processedRuns: 1, dryPages: 0, progress: 30 });
      expect(await storage.getJob("j1")).toEqual(result!.job);
      const listed = await storage.listCreators("j1", { limit: 10 });
      expect(listed.map((c) => c.id)).toEqual(["a", "b", "c"]);
      expect(listed[0]).toEqual({ ...creatorFixture("a", "soup"), seq: listed[0]!.seq, firstSeenAt: at(2000) });
    },
  },
  "commitPage: chains it returns are the job's chains as listChains gives them after it": {
    async run({ storage, claimedJob, claim, commit }) {
      await claimedJob();
      await claim(0, "w2", at(1600), "bread");
      const first = await commit(0, creatorsFixture("soup", "a"));
      if (first!.chains === undefined) return; // this adapter leaves the chains to listChains
      expect(first!.chains).toEqual(await storage.listChains("j1"));
      expect(first!.chains!.map((c) => [c.key, c.step, c.leaseOwner])).toEqual([
        ["bread", 0, "w2"],
        ["soup", 1, null],
      ]);
      // A commit that merges (a creator seen before) returns them too.
      const merged = await commit(0, creatorsFixture("bread", "a"), { chain: "bread", owner: "w2", exhausted: true });
      expect(merged!.chains).toEqual(await storage.listChains("j1"));
      expect(merged!.chains!.find((c) => c.key === "bread")).toMatchObject({ step: 1, exhausted: true });
    },
  },
  "commitPage: a creator seen before is merged in place and counted once": {
    async run({ storage, claimedJob, claim, commit }) {
      await claimedJob();
      await commit(0, creatorsFixture("soup", "a", "b"));
      await claim(1);
      await commit(1, creatorsFixture("soup", "b"));
      await claim(0, "w1", at(1600), "bread");
      const r = await commit(0, creatorsFixture("bread", "b", "c"), { chain: "bread", now: at(3000) });
      expect(r!.newCreators).toBe(1);
      expect(r!.job).toMatchObject({ processedResults: 3, processedRuns: 3 });
      const listed = await storage.listCreators("j1", { limit: 10 });
      expect(listed.map((c) => c.id)).toEqual(["a", "b", "c"]);
      const b = listed[1]!;
      expect(b.matchedKeywords).toEqual(["soup", "bread"]);
      expect(b.posts.map((p) => p.id)).toEqual(["p-b-soup", "p-b-bread"]);
      expect(b.firstSeenAt).toEqual(at(2000));
    },
  },
  "commitPage: creators are unique per job in the store": {
    needsRaw: true,
    async run({ storage, raw, campaign, claimedJob, claim, commit }) {
      await claimedJob();
      await commit(0, creatorsFixture("soup", "a", "b"));
      await claim(0, "w1", at(1600), "bread");
      await commit(0, creatorsFixture("bread", "b", "c"), { chain: "bread" });
      // The same ids on another platform, and in another job, are other creators.
      await claim(1);
      await commit(1, [creatorFixture("a", "soup", "youtube")]);
      await storage.createJob(jobFixture("j2", campaign), [chainFixture("j2", "soup")]);
      await storage.claimStep({ jobId: "j2", chain: "soup", step: 0, owner: "w1", leaseMs: 60_000, now: at(1) });
      await storage.commitPage({ jobId: "j2", chain: "soup", step: 0, owner: "w1", creators: creatorsFixture("soup", "a"), nextCursor: null, exhausted: true, now: at(3) });
      const rows = await raw.select("creators", { job_id: "j1" });
      expect(rows.map((r) => `${r.platform}/${r.creator_id}`).sort()).toEqual(["scripted/a", "scripted/b", "scripted/c", "youtube/a"]);
      expect(await raw.select("creators", { job_id: "j2" })).toHaveLength(1);
      expect((await storage.getJob("j1"))!.processedResults).toBe(4);
    },
  },
  "commitPage: counters are recounted from stored rows, not added up": {
    needsRaw: true,
    async run({ storage, raw, claimedJob, claim, commit }) {
      await claimedJob();
      await commit(0, creatorsFixture("soup", "a", "b", "c"));
      // A row removed behind the adapter's back: the next commit must see 2 + 1, not 3 + 1.
      expect(await raw.delete("creators", { job_id: "j1", creator_id: "b" })).toBe(1);
      await claim(1);
      const r = await commit(1, creatorsFixture("soup", "d"));
      expect(r!.job.processedResults).toBe(3);
      const [job] = await raw.select("search_jobs", { id: "j1" });
      expect(Number(job!.processed_results)).toBe(3);
      expect(Number(job!.processed_runs)).toBe(2);
    },
  },
  "commitPage: counts dry pages in a row, reset by a page with something new": {
    async run({ claimedJob, claim, commit }) {
      await claimedJob();
      await commit(0, creatorsFixture("soup", "a"));
      await claim(1);
      expect((await commit(1, creatorsFixture("soup", "a")))!.job.dryPages).toBe(1);
      await claim(2);
      expect((await commit(2, []))!.job.dryPages).toBe(2);
      await claim(3);
      expect((await commit(3, creatorsFixture("soup", "z")))!.job.dryPages).toBe(0);
    },
  },
  "commitPage: idempotent; a replayed, stale or unclaimed commit writes nothing": {
    async run({ storage, claimedJob, claim, commit }) {
      await claimedJob();
      await commit(0, creatorsFixture("soup", "a"));
      const before = await storage.getJob("j1");
      expect(await commit(0, creatorsFixture("soup", "a", "b"))).toBeNull(); // replay of step 0
      expect(await commit(1, creatorsFixture("soup", "b"))).toBeNull(); // step 1 never claimed
      await claim(1, "w1");
      expect(await commit(1, creatorsFixture("soup", "b"), { owner: "w2" })).toBeNull(); // not the owner
      expect(await storage.getJob("j1")).toEqual(before);
      expect((await storage.listCreators("j1", { limit: 10 })).map((c) => c.id)).toEqual(["a"]);
    },
  },
  "commitPage: the same page committed twice at once lands once": {
    async run({ storage, claimedJob, connect }) {
      await claimedJob();
      const [a, b] = [await connect(), await connect()];
      const page = { jobId: "j1", chain: "soup", step: 0, owner: "w1", creators: creatorsFixture("soup", "a", "b"), nextCursor: "30", exhausted: false, now: at(2000) };
      const results = await Promise.all([a.commitPage(page), b.commitPage(page)]);
      expect(results.filter((r) => r !== null)).toHaveLength(1);
      expect(await storage.getJob("j1")).toMatchObject({ processedResults: 2, processedRuns: 1 });
    },
  },
  "commitPage: concurrent commits of two chains keep shared creators once, counters exact": {
    async run({ storage, claimedJob, claim, connect }) {
      await claimedJob();
      await claim(0, "w2", at(1000), "bread");
      const [a, b] = [await connect(), await connect()];
      const commitOn = (s: typeof storage, chain: string, owner: string, ids: string[]) =>
        s.commitPage({ jobId: "j1", chain, step: 0, owner, creators: creatorsFixture(chain, ...ids), nextCursor: "30", exhausted: false, now: at(2000) });
      const [ra, rb] = await Promise.all([commitOn(a, "soup", "w1", ["a", "b", "c"]), commitOn(b, "bread", "w2", ["b", "c", "d"])]);
      expect(ra!.newCreators + rb!.newCreators).toBe(4);
      expect(await storage.getJob("j1")).toMatchObject({ processedResults: 4, processedRuns: 2 });
      const listed = await storage.listCreators("j1", { limit: 10 });
      expect(listed.map((c) => c.id).sort()).toEqual(["a", "b", "c", "d"]);
      expect(listed.find((c) => c.id === "b")!.matchedKeywords.sort()).toEqual(["bread", "soup"]);
    },
  },
  "commitPage: keeps the last cursor when the chain is exhausted": {
    async run({ claimedJob, claim, commit }) {
      await claimedJob();
      await commit(0, creatorsFixture("soup", "a"));
      await claim(1);
      const r = await commit(1, [], { exhausted: true });
      expect(r!.chain).toMatchObject({ step: 2, cursor: "30", exhausted: true });
    },
  },
  "commitPage: refused on a finished job": {
    async run({ storage, claimedJob, commit }) {
      await claimedJob();
      await storage.finishJob({ jobId: "j1", status: "cancelled", stopReason: "cancelled", now: at(1500) });
      expect(await commit(0, creatorsFixture("soup", "a"))).toBeNull();
      expect(await storage.listCreators("j1", { limit: 10 })).toEqual([]);
    },
  },
  "commitPage: creators of different jobs stay apart": {
    async run({ storage, campaign, claimedJob, commit }) {
      await claimedJob();
      await storage.createJob(jobFixture("j2", campaign), [chainFixture("j2", "soup")]);
      await storage.claimStep({ jobId: "j2", chain: "soup", step: 0, owner: "w1", leaseMs: 60_000, now: at(1) });
      await commit(0, creatorsFixture("soup", "a", "b"));
      const r = await storage.commitPage({ jobId: "j2", chain: "soup", step: 0, owner: "w1", creators: creatorsFixture("soup", "a"), nextCursor: null, exhausted: true, now: at(3) });
      expect(r!.newCreators).toBe(1);
      expect(r!.job.processedResults).toBe(1);
    },
  },
  "finishJob: ends a job once; progress 100 on target reached": {
    async run({ storage, claimedJob }) {
      await claimedJob();
      const done = await storage.finishJob({ jobId: "j1", status: "completed", stopReason: "target_reached", now: at(9000) });
      expect(done).toMatchObject({ status: "completed", stopReason: "target_reached", progress: 100, completedAt: at(9000), error: null });
      expect(await storage.finishJob({ jobId: "j1", status: "error", stopReason: "error", error: "late", now: at(9500) })).toBeNull();
      expect(await storage.getJob("j1")).toEqual(done);
      expect(await storage.listUnfinishedJobs({ limit: 10 })).toEqual([]);
    },
  },
  "finishJob: keeps the error message": {
    async run({ storage, claimedJob }) {
      await claimedJob();
      const failed = await storage.finishJob({ jobId: "j1", status: "error", stopReason: "error", error: "out of credits", now: at(9000) });
      expect(failed).toMatchObject({ status: "error", error: "out of credits", progress: 0 });
    },
  },
} satisfies Record<string, StorageCheck>;
