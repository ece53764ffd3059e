import { expect } from "vitest";
import type { StorageCheck } from "../context.js";
import { at, chainFixture, creatorsFixture, jobFixture } from "../fixtures.js";

/** `claimStep` / `releaseStep` / `renewStep`: one winner per step, leases that expire unless renewed. */
export const claimChecks = {
  "claimStep: claims, starts a pending job, and sets the lease": {
    async run({ storage, campaign, claim }) {
      await storage.createJob(jobFixture("j1", campaign), [chainFixture("j1", "soup")]);
      const result = await claim(0, "w1", at(100));
      expect(result.status).toBe("claimed");
      if (result.status !== "claimed") return;
      expect(result.job.status).toBe("processing");
      expect(result.job.startedAt).toEqual(at(100));
      expect(result.chain.leaseOwner).toBe("w1");
      expect(result.chain.leaseExpiresAt).toEqual(at(60_100));
      expect((await storage.getJob("j1"))!.status).toBe("processing");
    },
  },
  "claimStep: busy for another owner while the lease runs; the owner may re-claim": {
    async run({ claimedJob, claim }) {
      await claimedJob();
      expect(await claim(0, "w2", at(30_000))).toEqual({ status: "busy", leaseExpiresAt: at(61_000) });
      expect((await claim(0, "w1", at(30_000))).status).toBe("claimed");
    },
  },
  "claimStep: an expired lease lets another worker claim, and the first one's commit is refused": {
    async run({ storage, claimedJob, claim, commit }) {
      await claimedJob();
      const late = await claim(0, "w2", at(61_000)); // the lease of w1 ends at exactly 61 000 ms
      expect(late.status).toBe("claimed");
      if (late.status === "claimed") expect(late.chain).toMatchObject({ leaseOwner: "w2", leaseExpiresAt: at(121_000) });
      expect(await commit(0, creatorsFixture("soup", "a"), { owner: "w1" })).toBeNull();
      expect((await commit(0, creatorsFixture("soup", "b"), { owner: "w2" }))!.newCreators).toBe(1);
      expect((await storage.listCreators("j1", { limit: 10 })).map((c) => c.id)).toEqual(["b"]);
    },
  },
  "claimStep: done for a past or future step, an exhausted chain, a finished job, unknown ids": {
    async run({ storage, claimedJob, claim, commit }) {
      await claimedJob();
      expect(await claim(1, "w2")).toEqual({ status: "done" });
      await commit(0, creatorsFixture("soup", "a"));
      expect(await claim(0, "w2")).toEqual({ status: "done" });
      expect((await claim(1, "w2")).status).toBe("claimed");
      await commit(1, [], { owner: "w2", exhausted: true });
      expect(await claim(2, "w2")).toEqual({ status: "done" });
      expect(await storage.claimStep({ jobId: "nope", chain: "soup", step: 0, owner: "w", leaseMs: 1, now: at(0) })).toEqual({
        status: "done",
      });
      expect(await claim(0, "w2", at(9000), "nope")).toEqual({ status: "done" });
      await storage.finishJob({ jobId: "j1", status: "cancelled", stopReason: "cancelled", now: at(5000) });
      expect(await claim(0, "w3", at(9000), "bread")).toEqual({ status: "done" });
    },
  },
  "claimStep: one winner among 20 concurrent claimers on separate connections": {
    async run({ storage, campaign, connect }) {
      await storage.createJob(jobFixture("j1", campaign), [chainFixture("j1", "soup")]);
      const workers = await Promise.all(Array.from({ length: 20 }, () => connect()));
      const results = await Promise.all(
        workers.map((w, i) => w.claimStep({ jobId: "j1", chain: "soup", step: 0, owner: `w${i}`, leaseMs: 60_000, now: at(100) })),
      );
      const winners = results.flatMap((r, i) => (r.status === "claimed" ? [`w${i}`] : []));
      expect(winners).toHaveLength(1);
      expect(results.filter((r) => r.status === "busy")).toHaveLength(19);
      expect((await storage.listChains("j1"))[0]!.leaseOwner).toBe(winners[0]);
    },
  },
  "claimStep: the lease is written to the store": {
    needsRaw: true,
    async run({ raw, claimedJob }) {
      await claimedJob();
      const [row] = await raw.select("search_chains", { job_id: "j1", key: "soup" });
      expect(row).toMatchObject({ lease_owner: "w1", step: 0 });
      expect(new Date(row!.lease_expires_at as string | number | Date).getTime()).toBe(at(61_000).getTime());
    },
  },
  "releaseStep: frees the lease only for its owner": {
    async run({ storage, claimedJob, claim }) {
      await claimedJob();
      await storage.releaseStep({ jobId: "j1", chain: "soup", step: 0, owner: "w2" });
      expect((await claim(0, "w2", at(2000))).status).toBe("busy");
      await storage.releaseStep({ jobId: "j1", chain: "soup", step: 0, owner: "w1" });
      expect((await claim(0, "w2", at(2000))).status).toBe("claimed");
    },
  },
  "renewStep: extends the owner's lease while it holds the step, and nobody else's": {
    async run({ storage, claimedJob, claim, commit }) {
      await claimedJob(); // w1 holds step 0 of soup until 61 s
      const renew = (owner: string, now: Date, step = 0) => storage.renewStep({ jobId: "j1", chain: "soup", step, owner, leaseMs: 60_000, now });
      const leaseOf = async () => (await storage.listChains("j1")).find((c) => c.key === "soup")!;

      expect(await renew("w2", at(50_000))).toBe(false);
      expect((await leaseOf()).leaseExpiresAt).toEqual(at(61_000));
      expect(await renew("w1", at(50_000))).toBe(true);
      expect(await leaseOf()).toMatchObject({ leaseOwner: "w1", leaseExpiresAt: at(110_000), step: 0 });
      expect((await claim(0, "w2", at(100_000))).status).toBe("busy"); // past the first lease, within the renewed one
      // Expired, but nobody took it: still the owner's to renew.
      expect(await renew("w1", at(200_000))).toBe(true);
      expect((await leaseOf()).leaseExpiresAt).toEqual(at(260_000));

      // Taken over after expiry: the old owner's heartbeat no longer holds anything.
      expect((await claim(0, "w2", at(300_000))).status).toBe("claimed");
      expect(await renew("w1", at(300_001))).toBe(false);
      expect(await leaseOf()).toMatchObject({ leaseOwner: "w2", leaseExpiresAt: at(360_000) });

      // Committed: the step is over, nothing to renew; other chains and jobs untouched.
      expect(await commit(0, [], { owner: "w2", now: at(301_000) })).not.toBeNull();
      expect(await renew("w2", at(302_000))).toBe(false);
      expect(await leaseOf()).toMatchObject({ leaseOwner: null, leaseExpiresAt: null, step: 1 });
      expect((await storage.listChains("j1")).find((c) => c.key === "bread")).toMatchObject({ leaseOwner: null, leaseExpiresAt: null });
      expect(await storage.renewStep({ jobId: "nope", chain: "soup", step: 0, owner: "w1", leaseMs: 1, now: at(1) })).toBe(false);
    },
  },
} satisfies Record<string, StorageCheck>;
