import type { Campaign, CommitPageResult, Creator, StorageAdapter } from "@creatorsearch/core";
import { expect } from "vitest";
import type { StorageCheck } from "../context.js";
import { at, campaignFixture, chainFixture, creatorFixture, creatorsFixture, jobFixture } from "../fixtures.js";

/**
 * Runs job `jobId` of `campaign` for one page: creates it (one chain `soup`, target 10),
 * claims step 0 and commits `page` (exhausted) at `now`.
 */
async function runJob(
  storage: StorageAdapter,
  campaign: Campaign,
  jobId: string,
  page: Creator[],
  options: { onlyNew?: boolean; now?: Date; accepts?: (c: Creator) => boolean; create?: boolean } = {},
): Promise<CommitPageResult | null> {
  const now = options.now ?? at(10_000);
  if (options.create !== false) {
    await storage.createJob(jobFixture(jobId, campaign, { createdAt: now, updatedAt: now }), [chainFixture(jobId, "soup")]);
  }
  const claim = await storage.claimStep({ jobId, chain: "soup", step: 0, owner: `w-${jobId}`, leaseMs: 60_000, now });
  expect(claim.status).toBe("claimed");
  return storage.commitPage({
    jobId,
    chain: "soup",
    step: 0,
    owner: `w-${jobId}`,
    creators: page,
    nextCursor: null,
    exhausted: true,
    now,
    ...(options.onlyNew ? { onlyNew: true } : {}),
    ...(options.accepts ? { accepts: options.accepts } : {}),
  });
}

/** A creator with `followers` and links. */
function creatorWith(id: string, keyword: string, extra: Partial<Creator>, platform = "scripted"): Creator {
  return { ...creatorFixture(id, keyword, platform), ...extra };
}

const ids = (entries: { id: string }[]) => entries.map((e) => e.id);

/** The campaign roster kept by `commitPage`, its reads and its updates (issue 15). */
export const rosterChecks = {
  "roster: admitted creators enter their campaign's roster once, as new, in order": {
    async run({ storage, campaign }) {
      await runJob(storage, campaign, "j1", creatorsFixture("soup", "a", "b", "c"));
      const roster = await storage.listRoster("alice", campaign.id, { limit: 10 });
      expect(ids(roster)).toEqual(["scripted:a", "scripted:b", "scripted:c"]);
      expect(roster[0]).toMatchObject({
        campaignId: campaign.id,
        platform: "scripted",
        platformId: "a",
        handle: "a",
        followers: 1000,
        status: "new",
        notes: null,
        tags: [],
        links: [],
        foundBy: [{ jobId: "j1", inputs: ["soup"], at: at(10_000) }],
        firstSeenAt: at(10_000),
      });
      expect(roster[0]!.seq).toBeLessThan(roster[1]!.seq);
      expect(roster[1]!.seq).toBeLessThan(roster[2]!.seq);
      // Keyset paging.
      const rest = await storage.listRoster("alice", campaign.id, { after: roster[0]!.seq, limit: 1 });
      expect(ids(rest)).toEqual(["scripted:b"]);
    },
  },
  "roster: one entry per platform account across jobs; foundBy lists the jobs, first seen first": {
    async run({ storage, campaign }) {
      await runJob(storage, campaign, "j1", [creatorWith("a", "soup", { followers: 1000 })], { now: at(10_000) });
      await runJob(
        storage,
        campaign,
        "j2",
        [creatorWith("a", "soup", { followers: 2500, name: "Ana" }), creatorFixture("a", "soup", "youtube")],
        { now: at(20_000) },
      );
      const roster = await storage.listRoster("alice", campaign.id, { limit: 10 });
      expect(ids(roster)).toEqual(["scripted:a", "youtube:a"]);
      // Latest metrics; first seen and first job kept.
      expect(roster[0]).toMatchObject({ followers: 2500, name: "Ana", firstSeenAt: at(10_000) });
      expect(roster[0]!.foundBy.map((s) => [s.jobId, s.at])).toEqual([
        ["j1", at(10_000)],
        ["j2", at(20_000)],
      ]);
      expect(roster[1]!.foundBy.map((s) => s.jobId)).toEqual(["j2"]);
      // A later record without a figure does not erase it.
      await runJob(storage, campaign, "j3", [creatorWith("a", "bread", { followers: null, name: null })], { now: at(30_000) });
      const [a] = await storage.getRosterEntries("alice", campaign.id, ["scripted:a"]);
      expect(a).toMatchObject({ followers: 2500, name: "Ana" });
      expect(a!.foundBy.map((s) => s.inputs)).toEqual([["soup"], ["soup"], ["bread"]]);
    },
  },
  "roster: other campaigns and other users never see an entry": {
    async run({ storage, campaign }) {
      const other = await storage.createCampaign(campaignFixture("c2", "alice"));
      const bobs = await storage.createCampaign(campaignFixture("c3", "bob"));
      await runJob(storage, campaign, "j1", creatorsFixture("soup", "a"));
      await runJob(storage, other, "j2", creatorsFixture("soup", "b"));
      await runJob(storage, bobs, "j3", creatorsFixture("soup", "a"));
      expect(ids(await storage.listRoster("alice", campaign.id, { limit: 10 }))).toEqual(["scripted:a"]);
      expect(ids(await storage.listRoster("alice", other.id, { limit: 10 }))).toEqual(["scripted:b"]);
      expect(await storage.listRoster("bob", campaign.id, { limit: 10 })).toEqual([]);
      expect(await storage.getRosterEntries("bob", campaign.id, ["scripted:a"])).toEqual([]);
      expect(await storage.updateRosterEntries("bob", campaign.id, ["scripted:a"], { status: "rejected" }, at(1))).toEqual([]);
      const [a] = await storage.getRosterEntries("alice", campaign.id, ["scripted:a"]);
      expect(a!.status).toBe("new");
      // bob's own entry of the same account is his alone.
      expect((await storage.listRoster("bob", bobs.id, { limit: 10 }))[0]!.foundBy.map((s) => s.jobId)).toEqual(["j3"]);
    },
  },
  "roster: excluded creators stay off it until a job admits them": {
    async run({ storage, campaign }) {
      const onlyA = (c: Creator) => c.id === "a";
      await runJob(storage, campaign, "j1", creatorsFixture("soup", "a", "b"), { accepts: onlyA });
      expect(ids(await storage.listRoster("alice", campaign.id, { limit: 10 }))).toEqual(["scripted:a"]);
      await runJob(storage, campaign, "j2", creatorsFixture("soup", "b"));
      const roster = await storage.listRoster("alice", campaign.id, { limit: 10 });
      expect(ids(roster)).toEqual(["scripted:a", "scripted:b"]);
      // j1 stores b excluded: it did not find it in the campaign's sense.
      expect(roster[1]!.foundBy.map((s) => s.jobId)).toEqual(["j2"]);
    },
  },
  "roster: status, notes and tags survive later jobs; updates change only what they name": {
    async run({ storage, campaign }) {
      await runJob(storage, campaign, "j1", creatorsFixture("soup", "a", "b"));
      const updated = await storage.updateRosterEntries(
        "alice",
        campaign.id,
        ["scripted:a", "scripted:zz"],
        { status: "shortlisted", notes: "great fit", tags: ["vegan", "q3"] },
        at(15_000),
      );
      expect(ids(updated)).toEqual(["scripted:a"]);
      expect(updated[0]).toMatchObject({ status: "shortlisted", notes: "great fit", tags: ["vegan", "q3"], updatedAt: at(15_000) });
      const notesOnly = await storage.updateRosterEntries("alice", campaign.id, ["scripted:a"], { notes: null }, at(16_000));
      expect(notesOnly[0]).toMatchObject({ status: "shortlisted", notes: null, tags: ["vegan", "q3"] });
      await runJob(storage, campaign, "j2", [creatorWith("a", "bread", { followers: 9000 })], { now: at(20_000) });
      const [a] = await storage.getRosterEntries("alice", campaign.id, ["scripted:a"]);
      expect(a).toMatchObject({ status: "shortlisted", notes: null, tags: ["vegan", "q3"], followers: 9000 });
      const [b] = await storage.getRosterEntries("alice", campaign.id, ["scripted:b"]);
      expect(b).toMatchObject({ status: "new", tags: [] });
    },
  },
  "roster: list filters by status, platform, tag, text and handles": {
    async run({ storage, campaign }) {
      await runJob(storage, campaign, "j1", [
        creatorWith("a", "soup", { handle: "Cozy.Kitchen", name: "Ana Cooks" }),
        creatorWith("b", "soup", { handle: "bread_bob", name: "Bob" }),
        creatorWith("c", "soup", { handle: "c100%_real", name: null }),
        creatorWith("a", "soup", { handle: "cozy_yt", name: "Ana" }, "youtube"),
      ]);
      await storage.updateRosterEntries("alice", campaign.id, ["scripted:a", "scripted:b"], { status: "shortlisted" }, at(1));
      await storage.updateRosterEntries("alice", campaign.id, ["scripted:b"], { tags: ["vegan"] }, at(2));
      const list = (o: Record<string, unknown>) => storage.listRoster("alice", campaign.id, { limit: 10, ...o }).then(ids);
      expect(await list({ status: "shortlisted" })).toEqual(["scripted:a", "scripted:b"]);
      expect(await list({ status: "new", platform: "youtube" })).toEqual(["youtube:a"]);
      expect(await list({ tag: "vegan" })).toEqual(["scripted:b"]);
      expect(await list({ tag: "vega" })).toEqual([]);
      expect(await list({ q: "COZY" })).toEqual(["scripted:a", "youtube:a"]);
      expect(await list({ q: "ana" })).toEqual(["scripted:a", "youtube:a"]);
      // No wildcards: % and _ are plain characters.
      expect(await list({ q: "0%_" })).toEqual(["scripted:c"]);
      expect(await list({ q: "%" })).toEqual(["scripted:c"]);
      expect(await list({ q: "d_b" })).toEqual(["scripted:b"]);
      expect(await list({ handles: ["cozy.kitchen", "BREAD_BOB", "nobody"] })).toEqual(["scripted:a", "scripted:b"]);
      expect(await list({ status: "shortlisted", q: "bob", tag: "vegan", platform: "scripted" })).toEqual(["scripted:b"]);
    },
  },
  "roster: link keys find the same person in both directions": {
    async run({ storage, campaign }) {
      await runJob(storage, campaign, "j1", [
        creatorWith("111", "soup", { handle: "cozy", links: [{ platform: "instagram", handle: "Cozy.Kitchen" }, { platform: "web", url: "https://cozy.example" }] }, "tiktok"),
        creatorWith("UC9", "soup", { handle: "cozytube", links: [{ platform: "tiktok", id: "111" }] }, "youtube"),
      ]);
      await runJob(storage, campaign, "j2", [creatorWith("ig1", "soup", { handle: "cozy.kitchen" }, "instagram")]);
      const asked = ["instagram:@cozy.kitchen", "tiktok:#111", "web:@nobody"];
      const found = await storage.findRosterKeys(campaign.id, { self: asked, link: asked });
      const seen = found.map((m) => `${m.id} ${m.kind} ${m.key}`).sort();
      expect(seen).toEqual([
        "instagram:ig1 self instagram:@cozy.kitchen",
        "tiktok:111 link instagram:@cozy.kitchen",
        "tiktok:111 self tiktok:#111",
        "youtube:UC9 link tiktok:#111",
      ]);
      expect(found.find((m) => m.id === "tiktok:111")).toMatchObject({ platform: "tiktok", handle: "cozy" });
      const [tt] = await storage.getRosterEntries("alice", campaign.id, ["tiktok:111"]);
      expect(tt!.links).toEqual([{ platform: "instagram", handle: "Cozy.Kitchen" }, { platform: "web", url: "https://cozy.example" }]);
      // Another campaign's keys are not this one's.
      const other = await storage.createCampaign(campaignFixture("c2", "alice"));
      expect(await storage.findRosterKeys(other.id, { self: ["tiktok:#111"], link: ["tiktok:#111"] })).toEqual([]);
      // Each kind is found only by the keys asked for it.
      const selfOnly = await storage.findRosterKeys(campaign.id, { self: asked });
      expect(selfOnly.map((m) => `${m.id} ${m.kind}`).sort()).toEqual(["instagram:ig1 self", "tiktok:111 self"]);
      const linkOnly = await storage.findRosterKeys(campaign.id, { link: ["tiktok:#111"] });
      expect(linkOnly.map((m) => `${m.id} ${m.kind}`)).toEqual(["youtube:UC9 link"]);
      // A storage that keeps `linkedHint` never says "not linked" of an entry that is.
      const entries = await storage.listRoster("alice", campaign.id, { limit: 10 });
      expect(entries.filter((e) => e.linkedHint === false).map((e) => e.id)).toEqual([]);
    },
  },
  "roster: linkedHint follows the keys later jobs write (a new handle, a new link)": {
    async run({ storage, campaign }) {
      await runJob(storage, campaign, "j1", [
        creatorWith("a1", "soup", { handle: "ana" }, "tiktok"),
        creatorWith("b1", "soup", { handle: "bakes" }, "instagram"),
        creatorWith("c1", "soup", { handle: "solo", links: [{ platform: "instagram", handle: "nobody.here" }] }, "tiktok"),
      ]);
      const hints = async () =>
        Object.fromEntries((await storage.listRoster("alice", campaign.id, { limit: 10 })).map((e) => [e.id, e.linkedHint]));
      // No entry shares a key: a storage that keeps the hint says so (memory leaves it out).
      for (const hint of Object.values(await hints())) expect(hint).not.toBe(true);
      // j2 finds a1 linking to an Instagram handle, and b1 under that handle: both are linked now.
      await runJob(storage, campaign, "j2", [
        creatorWith("a1", "soup", { handle: "ana", links: [{ platform: "instagram", handle: "Ana.Bakes" }] }, "tiktok"),
        creatorWith("b1", "soup", { handle: "ana.bakes" }, "instagram"),
      ]);
      const after = await hints();
      expect(after["tiktok:a1"]).not.toBe(false);
      expect(after["instagram:b1"]).not.toBe(false);
      expect(after["tiktok:c1"]).not.toBe(true);
    },
  },
  "roster onlyNew: creators the roster had are stored but not results, and counted in skippedKnown": {
    async run({ storage, campaign }) {
      await runJob(storage, campaign, "j1", creatorsFixture("soup", "a", "b"));
      const r = await runJob(storage, campaign, "j2", creatorsFixture("soup", "a", "c", "d"), { onlyNew: true });
      expect(r!.newCreators).toBe(3);
      expect(r!.job).toMatchObject({ processedResults: 2, filtered: 0, skippedKnown: 1, progress: 20 });
      expect(await storage.getJob("j2")).toEqual(r!.job);
      expect((await storage.listCreators("j2", { limit: 10 })).map((c) => c.id)).toEqual(["c", "d"]);
      // The roster still learns that j2 found a.
      const [a] = await storage.getRosterEntries("alice", campaign.id, ["scripted:a"]);
      expect(a!.foundBy.map((s) => s.jobId)).toEqual(["j1", "j2"]);
      // Without onlyNew, the same creators are results as usual.
      const plain = await runJob(storage, campaign, "j3", creatorsFixture("soup", "a", "c"));
      expect(plain!.job).toMatchObject({ processedResults: 2, skippedKnown: 0 });
    },
  },
  "roster onlyNew: being known is final for the job, and a creator it added is its own": {
    async run({ storage, campaign }) {
      await runJob(storage, campaign, "j1", creatorsFixture("soup", "a"));
      await storage.createJob(jobFixture("j2", campaign), [chainFixture("j2", "soup"), chainFixture("j2", "bread")]);
      const step = async (chain: string, page: Creator[], now: Date) => {
        expect((await storage.claimStep({ jobId: "j2", chain, step: 0, owner: "w", leaseMs: 60_000, now })).status).toBe("claimed");
        return storage.commitPage({ jobId: "j2", chain, step: 0, owner: "w", creators: page, nextCursor: null, exhausted: true, now, onlyNew: true });
      };
      await step("soup", creatorsFixture("soup", "a", "b"), at(20_000));
      // Seen again on another chain: a stays known, b (added by j2 itself) stays a result.
      const r = await step("bread", creatorsFixture("bread", "a", "b"), at(21_000));
      expect(r!.newCreators).toBe(0);
      expect(r!.job).toMatchObject({ processedResults: 1, skippedKnown: 1 });
      const listed = await storage.listCreators("j2", { limit: 10 });
      expect(listed.map((c) => [c.id, c.matchedKeywords])).toEqual([["b", ["soup", "bread"]]]);
    },
  },
  "roster: a creator seen again by a later page or job keeps its place in the roster": {
    async run({ storage, campaign, claimedJob, claim, commit }) {
      await runJob(storage, campaign, "j2", creatorsFixture("soup", "b", "a"));
      const before = await storage.listRoster("alice", campaign.id, { limit: 10 });
      // j1 sees a and b in another order, then a again on its next page.
      await claimedJob();
      await commit(0, creatorsFixture("soup", "a", "b"));
      await claim(1);
      await commit(1, creatorsFixture("soup", "a", "c"));
      const after = await storage.listRoster("alice", campaign.id, { limit: 10 });
      expect(ids(after)).toEqual(["scripted:b", "scripted:a", "scripted:c"]);
      expect(after.slice(0, 2).map((e) => e.seq)).toEqual(before.map((e) => e.seq));
      // Keyset paging from each entry gives exactly the ones after it.
      for (const [i, entry] of after.entries()) {
        expect(ids(await storage.listRoster("alice", campaign.id, { after: entry.seq, limit: 10 }))).toEqual(ids(after.slice(i + 1)));
      }
    },
  },
  "roster onlyNew: a replayed commit changes nothing": {
    async run({ storage, campaign }) {
      await runJob(storage, campaign, "j1", creatorsFixture("soup", "a"));
      const first = await runJob(storage, campaign, "j2", creatorsFixture("soup", "a", "b"), { onlyNew: true });
      const replay = await storage.commitPage({
        jobId: "j2", chain: "soup", step: 0, owner: "w-j2", creators: creatorsFixture("soup", "a", "b"),
        nextCursor: null, exhausted: true, now: at(10_001), onlyNew: true,
      });
      expect(replay).toBeNull();
      expect(await storage.getJob("j2")).toEqual(first!.job);
      expect(ids(await storage.listRoster("alice", campaign.id, { limit: 10 }))).toEqual(["scripted:a", "scripted:b"]);
    },
  },
  "roster: two jobs committing the same creators at once add each entry once": {
    timeoutMs: 30_000,
    async run({ storage, campaign, connect }) {
      for (let round = 0; round < 5; round++) {
        const page = creatorsFixture("soup", `x${round}`, `y${round}`, `z${round}`);
        const jobs = [`r${round}a`, `r${round}b`];
        const now = at(40_000 + round);
        for (const jobId of jobs) {
          await storage.createJob(jobFixture(jobId, campaign, { createdAt: now }), [chainFixture(jobId, "soup")]);
        }
        const [one, two] = [await connect(), await connect()];
        const results = await Promise.all(
          jobs.map((jobId, i) => runJob(i === 0 ? one : two, campaign, jobId, page, { onlyNew: true, now, create: false })),
        );
        // Every creator is on the roster once, and a result of exactly one of the two jobs.
        const roster = await storage.listRoster("alice", campaign.id, { limit: 100, q: String(round) });
        expect(ids(roster).sort()).toEqual([`scripted:x${round}`, `scripted:y${round}`, `scripted:z${round}`]);
        const counted = results.map((r) => r!.job.processedResults);
        expect(counted[0]! + counted[1]!).toBe(3);
        expect(results.map((r) => r!.job.skippedKnown)).toEqual([3 - counted[0]!, 3 - counted[1]!]);
        const listed = await Promise.all(jobs.map((j) => storage.listCreators(j, { limit: 10 })));
        expect(listed.flat().map((c) => c.id).sort()).toEqual([`x${round}`, `y${round}`, `z${round}`]);
      }
    },
  },
} satisfies Record<string, StorageCheck>;
