import { expect } from "vitest";
import type { StorageCheck } from "../context.js";
import { at, campaignFixture, chainFixture, jobFixture } from "../fixtures.js";

/** Campaign and job CRUD, always scoped by `userId`. */
export const crudChecks = {
  "campaigns: round-trip every field, dates included": {
    async run({ storage }) {
      expect(await storage.getCampaign("alice", "c1")).toEqual(campaignFixture("c1", "alice"));
    },
  },
  "campaigns: another user's id answers like a missing one": {
    async run({ storage }) {
      expect(await storage.getCampaign("mallory", "c1")).toBeNull();
      expect(await storage.getCampaign("alice", "nope")).toBeNull();
      expect(await storage.updateCampaign("mallory", "c1", { name: "pwned" }, at(1))).toBeNull();
      expect((await storage.getCampaign("alice", "c1"))!.name).toBe("Campaign c1");
      expect(await storage.listCampaigns("mallory", { limit: 10 })).toEqual([]);
    },
  },
  "campaigns: list newest first with paging, archived ones on request": {
    async run({ storage }) {
      await storage.createCampaign(campaignFixture("c2", "alice", { createdAt: at(10) }));
      await storage.createCampaign(campaignFixture("c3", "alice", { createdAt: at(20), archivedAt: at(30) }));
      await storage.createCampaign(campaignFixture("c4", "bob", { createdAt: at(40) }));
      expect((await storage.listCampaigns("alice", { limit: 10 })).map((c) => c.id)).toEqual(["c2", "c1"]);
      expect((await storage.listCampaigns("alice", { limit: 10, includeArchived: true })).map((c) => c.id)).toEqual(["c3", "c2", "c1"]);
      expect((await storage.listCampaigns("alice", { limit: 1, offset: 1, includeArchived: true })).map((c) => c.id)).toEqual(["c2"]);
    },
  },
  "campaigns: update changes only the given fields and the update time": {
    async run({ storage }) {
      const updated = await storage.updateCampaign(
        "alice",
        "c1",
        { status: "active", description: undefined, platforms: ["tiktok", "youtube"] },
        at(5),
      );
      expect(updated).toEqual({ ...campaignFixture("c1", "alice"), status: "active", platforms: ["tiktok", "youtube"], updatedAt: at(5) });
      expect(await storage.getCampaign("alice", "c1")).toEqual(updated);
    },
  },
  "jobs: round-trip a job and its chains, hidden from another user": {
    async run({ storage, campaign }) {
      const job = jobFixture("j1", campaign, { keywords: ["soup recipes", "fall cooking"] });
      await storage.createJob(job, [chainFixture("j1", "k1", "soup recipes"), chainFixture("j1", "k0", "fall cooking")]);
      expect(await storage.getJob("j1")).toEqual(job);
      expect(await storage.getJob("j1", "alice")).toEqual(job);
      expect(await storage.getJob("j1", "mallory")).toBeNull();
      expect(await storage.listJobs("mallory", { limit: 10 })).toEqual([]);
      expect((await storage.listChains("j1")).map((c) => [c.key, c.input])).toEqual([
        ["k0", "fall cooking"],
        ["k1", "soup recipes"],
      ]);
      expect((await storage.listChains("j1"))[0]).toEqual(chainFixture("j1", "k0", "fall cooking"));
    },
  },
  "jobs: list a user's jobs newest first, by campaign and status": {
    async run({ storage, campaign }) {
      const c2 = await storage.createCampaign(campaignFixture("c2", "alice"));
      await storage.createJob(jobFixture("j1", campaign, { createdAt: at(1) }), []);
      await storage.createJob(jobFixture("j2", c2, { createdAt: at(2), status: "completed" }), []);
      await storage.createJob(jobFixture("j3", campaign, { createdAt: at(3) }), []);
      const bobs = await storage.createCampaign(campaignFixture("c9", "bob"));
      await storage.createJob(jobFixture("j9", bobs, { createdAt: at(4) }), []);
      expect((await storage.listJobs("alice", { limit: 10 })).map((j) => j.id)).toEqual(["j3", "j2", "j1"]);
      expect((await storage.listJobs("alice", { limit: 1, offset: 1 })).map((j) => j.id)).toEqual(["j2"]);
      expect((await storage.listJobs("alice", { limit: 10, campaignId: "c1" })).map((j) => j.id)).toEqual(["j3", "j1"]);
      expect((await storage.listJobs("alice", { limit: 10, campaignId: "c9" })).map((j) => j.id)).toEqual([]);
      expect((await storage.listJobs("alice", { limit: 10, status: "completed" })).map((j) => j.id)).toEqual(["j2"]);
      expect((await storage.listJobs("bob", { limit: 10 })).map((j) => j.id)).toEqual(["j9"]);
      expect((await storage.listUnfinishedJobs({ limit: 10 })).map((j) => j.id)).toEqual(["j1", "j3", "j9"]);
    },
  },
  "jobs: createJob writes the job and its chains to the store": {
    needsRaw: true,
    async run({ storage, raw, campaign }) {
      await storage.createJob(jobFixture("j1", campaign), [chainFixture("j1", "soup"), chainFixture("j1", "bread")]);
      expect(await raw.select("search_jobs", { id: "j1" })).toHaveLength(1);
      expect((await raw.select("search_jobs", { id: "j1" }))[0]).toMatchObject({ user_id: "alice", campaign_id: "c1", status: "pending" });
      expect((await raw.select("search_chains", { job_id: "j1" })).map((r) => r.key).sort()).toEqual(["bread", "soup"]);
    },
  },
} satisfies Record<string, StorageCheck>;
