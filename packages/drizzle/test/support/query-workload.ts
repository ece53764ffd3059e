import type { StorageAdapter } from "@creatorsearch/core";
import { at, campaignFixture, chainFixture, creatorsFixture, jobFixture } from "@creatorsearch/test-utils/storage";

/**
 * Calls every storage method once or more, so a driver logger sees every query shape the
 * adapter sends (for the EXPLAIN checks of each dialect).
 */
export async function runEveryQuery(storage: StorageAdapter): Promise<void> {
  const campaign = await storage.createCampaign(campaignFixture("c1", "alice"));
  await storage.getCampaign("alice", "c1");
  await storage.listCampaigns("alice", { limit: 10 });
  await storage.listCampaigns("alice", { limit: 10, offset: 1, includeArchived: true });
  await storage.updateCampaign("alice", "c1", { name: "renamed" }, at(1));
  await storage.createJob(jobFixture("j1", campaign), [chainFixture("j1", "soup"), chainFixture("j1", "bread")]);
  await storage.getJob("j1");
  await storage.getJob("j1", "alice");
  await storage.listJobs("alice", { limit: 10 });
  await storage.listJobs("alice", { limit: 10, campaignId: "c1", status: "pending" });
  await storage.listUnfinishedJobs({ limit: 10 });
  await storage.listChains("j1");
  await storage.claimStep({ jobId: "j1", chain: "soup", step: 0, owner: "w1", leaseMs: 60_000, now: at(10) });
  await storage.claimStep({ jobId: "j1", chain: "soup", step: 0, owner: "w2", leaseMs: 60_000, now: at(11) }); // busy
  await storage.getPage("j1", "soup", 0);
  await storage.savePage({ jobId: "j1", chain: "soup", step: 0, raw: { ok: true }, fetchedAt: at(12) });
  await storage.reserveApiCall("j1", 10);
  await storage.commitPage({ jobId: "j1", chain: "soup", step: 0, owner: "w1", creators: creatorsFixture("soup", "a", "b"), nextCursor: "1", exhausted: false, now: at(13) });
  await storage.claimStep({ jobId: "j1", chain: "soup", step: 1, owner: "w1", leaseMs: 60_000, now: at(14) });
  await storage.releaseStep({ jobId: "j1", chain: "soup", step: 1, owner: "w1" });
  await storage.claimStep({ jobId: "j1", chain: "soup", step: 1, owner: "w1", leaseMs: 60_000, now: at(15) });
  // "a" again: the merge path of a seen creator.
  await storage.commitPage({ jobId: "j1", chain: "soup", step: 1, owner: "w1", creators: creatorsFixture("soup", "a", "c"), nextCursor: "2", exhausted: false, now: at(16) });
  await storage.listCreators("j1", { limit: 100 });
  await storage.listCreators("j1", { after: 1, limit: 100 });
  await storage.finishJob({ jobId: "j1", status: "completed", stopReason: "exhausted", now: at(17) });
}
