import { expect } from "vitest";
import type { StorageCheck } from "../context.js";
import { at } from "../fixtures.js";

/** Raw pages and the API-call budget. */
export const pageChecks = {
  "savePage: a raw page is stored once (insert-or-ignore)": {
    async run({ storage, claimedJob }) {
      await claimedJob();
      expect(await storage.getPage("j1", "soup", 0)).toBeNull();
      const raw = { search_item_list: [{ aweme_info: { id: 1 } }], cursor: 30, has_more: 1 };
      await storage.savePage({ jobId: "j1", chain: "soup", step: 0, raw, fetchedAt: at(10) });
      await storage.savePage({ jobId: "j1", chain: "soup", step: 0, raw: { other: true }, fetchedAt: at(20) });
      expect(await storage.getPage("j1", "soup", 0)).toEqual({ jobId: "j1", chain: "soup", step: 0, raw, fetchedAt: at(10) });
      expect(await storage.getPage("j1", "bread", 0)).toBeNull();
    },
  },
  "claimStep: a claim that reads the page returns it as getPage does, or null": {
    async run({ storage, claimedJob, claim }) {
      await claimedJob(); // w1 holds step 0 of soup until at(1000) + 60 s
      const fresh = await claim(0, "w2", at(1500), "bread");
      if (fresh.status !== "claimed") throw new Error(`expected a claim, got ${fresh.status}`);
      if (fresh.page === undefined) return; // this adapter leaves the page to getPage
      expect(fresh.page).toBeNull();
      const raw = { search_item_list: [{ aweme_info: { id: 1 } }], cursor: 30, has_more: 1 };
      await storage.savePage({ jobId: "j1", chain: "soup", step: 0, raw, fetchedAt: at(10) });
      // w1's lease expires with its page stored: the redelivery's claim brings that page.
      const again = await claim(0, "w3", at(200_000));
      expect(again).toMatchObject({ status: "claimed", page: { jobId: "j1", chain: "soup", step: 0, raw, fetchedAt: at(10) } });
      if (again.status === "claimed") expect(again.page).toEqual(await storage.getPage("j1", "soup", 0));
    },
  },
  "reserveApiCall: counts up to the budget, atomically": {
    async run({ storage, claimedJob, connect }) {
      await claimedJob();
      const callers = await Promise.all(Array.from({ length: 8 }, () => connect()));
      const results = await Promise.all(callers.map((c) => c.reserveApiCall("j1", 5)));
      expect(results.filter(Boolean)).toHaveLength(5);
      expect((await storage.getJob("j1"))!.apiCalls).toBe(5);
      expect(await storage.reserveApiCall("nope", 5)).toBe(false);
    },
  },
} satisfies Record<string, StorageCheck>;
