import type { RawPageRetention, StorageAdapter } from "@creatorsearch/core";
import { expect } from "vitest";
import type { StorageCheck } from "../context.js";
import { at, creatorsFixture, jobFixture } from "../fixtures.js";

const DAY = 24 * 60 * 60 * 1000;
/** A raw page with a non-ASCII character: `bytes` counts UTF-8 bytes, not characters. */
const rawPage = (n: number) => ({ search_item_list: [{ aweme_info: { id: n, desc: "crème brûlée" } }], cursor: 30, has_more: 1 });
const bytesOf = (raw: unknown) => new TextEncoder().encode(JSON.stringify(raw)).byteLength;
const SETTINGS: RawPageRetention[] = ["until-committed", "until-job-done", { keepDays: 7 }];

/** Saves `raw` as the page of step `step` of `chain` of `j1`, fetched at `fetchedAt`. */
const save = (storage: StorageAdapter, chain: string, step: number, raw: unknown, fetchedAt = at(10)) =>
  storage.savePage({ jobId: "j1", chain, step, raw, fetchedAt });

/** Raw-page retention, pruning, and the budget past the target (DESIGN.md: raw pages are insurance, not archive). */
export const retentionChecks = {
  "rawPages: the default drops a step's page in its commit": {
    async run({ storage, claimedJob, commit }) {
      expect(storage.rawPages).toBe("until-committed");
      await claimedJob();
      await save(storage, "soup", 0, rawPage(1));
      expect(await commit(0, creatorsFixture("soup", "a"))).not.toBeNull();
      expect(await storage.getPage("j1", "soup", 0)).toBeNull();
    },
  },
  "rawPages: a crash between fetch and commit never pays twice, under every retention": {
    async run(ctx) {
      for (const rawPages of SETTINGS) {
        const { storage, claimedJob, claim, commit } = await ctx.reopen({ rawPages });
        expect(storage.rawPages).toEqual(rawPages);
        await claimedJob(); // w1 holds step 0 of soup until at(1000) + 60 s
        expect(await storage.reserveApiCall("j1", 10)).toBe(true);
        await storage.savePage({ jobId: "j1", chain: "soup", step: 0, raw: rawPage(1), fetchedAt: at(1100) });
        // w1 dies before its commit; after its lease, w2's delivery finds the page it paid for.
        const again = await claim(0, "w2", at(200_000));
        expect(again.status).toBe("claimed");
        const page = again.status === "claimed" && again.page !== undefined ? again.page : await storage.getPage("j1", "soup", 0);
        expect(page?.raw).toEqual(rawPage(1));
        expect(await commit(0, creatorsFixture("soup", "a"), { owner: "w2", now: at(200_100) })).not.toBeNull();
        expect((await storage.getJob("j1"))!.apiCalls).toBe(1);
      }
    },
  },
  "rawPages: until-job-done keeps committed pages until the job ends": {
    async run(ctx) {
      const { storage, claimedJob, commit } = await ctx.reopen({ rawPages: "until-job-done" });
      await claimedJob();
      await save(storage, "soup", 0, rawPage(1));
      await commit(0, creatorsFixture("soup", "a"));
      expect((await storage.getPage("j1", "soup", 0))?.raw).toEqual(rawPage(1));
      expect(await storage.prunePages({ now: at(30 * DAY) })).toEqual({ pages: 0, bytes: 0 });
      await storage.finishJob({ jobId: "j1", status: "cancelled", stopReason: "cancelled", now: at(5000) });
      expect(await storage.getPage("j1", "soup", 0)).toBeNull();
    },
  },
  "rawPages: the default drops the pages a job never committed when it ends": {
    async run({ storage, claimedJob }) {
      await claimedJob();
      await save(storage, "soup", 0, rawPage(1));
      await storage.finishJob({ jobId: "j1", status: "timeout", stopReason: "timeout", now: at(5000) });
      expect(await storage.getPage("j1", "soup", 0)).toBeNull();
    },
  },
  "prunePages: keepDays drops old pages no step needs, counting them first in a dry run": {
    async run(ctx) {
      const { storage, claimedJob, claim, commit } = await ctx.reopen({ rawPages: { keepDays: 1 } });
      await claimedJob();
      await claim(0, "w2", at(1600), "bread");
      await save(storage, "soup", 0, rawPage(1));
      await save(storage, "bread", 0, rawPage(2)); // its step has not committed
      await commit(0, creatorsFixture("soup", "a"));
      expect((await storage.getPage("j1", "soup", 0))?.raw).toEqual(rawPage(1)); // kept: keepDays
      // Younger than a day: nothing goes.
      expect(await storage.prunePages({ now: at(DAY / 2) })).toEqual({ pages: 0, bytes: 0 });
      const later = at(2 * DAY);
      expect(await storage.prunePages({ now: later, dryRun: true })).toEqual({ pages: 1, bytes: bytesOf(rawPage(1)) });
      expect((await storage.getPage("j1", "soup", 0))?.raw).toEqual(rawPage(1)); // a dry run deletes nothing
      expect(await storage.prunePages({ now: later })).toEqual({ pages: 1, bytes: bytesOf(rawPage(1)) });
      expect(await storage.getPage("j1", "soup", 0)).toBeNull();
      expect((await storage.getPage("j1", "bread", 0))?.raw).toEqual(rawPage(2)); // its step may still run
      // Once the job has ended, no step needs it; keepDays still holds it until it is old enough.
      await storage.finishJob({ jobId: "j1", status: "cancelled", stopReason: "cancelled", now: at(3 * DAY) });
      expect((await storage.getPage("j1", "bread", 0))?.raw).toEqual(rawPage(2));
      expect(await storage.prunePages({ now: at(3 * DAY), vacuum: true })).toEqual({ pages: 1, bytes: bytesOf(rawPage(2)) });
      expect(await storage.getPage("j1", "bread", 0)).toBeNull();
    },
  },
  "prunePages: pages stored before the retention setting go, a running step's page stays": {
    async run({ storage, claimedJob, claim, commit }) {
      await claimedJob();
      await claim(0, "w2", at(1600), "bread");
      await commit(0, creatorsFixture("soup", "a"));
      // A page of a step already committed, as an older version left it, and a page in flight.
      await save(storage, "soup", 0, rawPage(1));
      await save(storage, "bread", 0, rawPage(2));
      expect(await storage.prunePages({ now: at(5000), dryRun: true })).toEqual({ pages: 1, bytes: bytesOf(rawPage(1)) });
      expect(await storage.prunePages({ now: at(5000) })).toEqual({ pages: 1, bytes: bytesOf(rawPage(1)) });
      expect(await storage.getPage("j1", "soup", 0)).toBeNull();
      expect((await storage.getPage("j1", "bread", 0))?.raw).toEqual(rawPage(2));
      expect(await storage.prunePages({ now: at(5000) })).toEqual({ pages: 0, bytes: 0 });
    },
  },
  "reserveApiCall: refused once the job has its target, or has ended": {
    async run({ storage, campaign, claimedJob, commit }) {
      await claimedJob({ targetResults: 2 });
      expect(await storage.reserveApiCall("j1", 100)).toBe(true);
      await commit(0, creatorsFixture("soup", "a", "b"));
      expect(await storage.reserveApiCall("j1", 100)).toBe(false);
      expect((await storage.getJob("j1"))!.apiCalls).toBe(1);

      await storage.createJob(jobFixture("j2", campaign), []);
      expect(await storage.reserveApiCall("j2", 100)).toBe(true);
      await storage.finishJob({ jobId: "j2", status: "cancelled", stopReason: "cancelled", now: at(3000) });
      expect(await storage.reserveApiCall("j2", 100)).toBe(false);
      expect((await storage.getJob("j2"))!.apiCalls).toBe(1);
    },
  },
} satisfies Record<string, StorageCheck>;
