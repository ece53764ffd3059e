import {
  ConfigurationError,
  type ListCreatorsOptions,
  type PlatformAdapter,
  type StorageAdapter,
  createCreatorSearch,
  memoryQueue,
} from "@creatorsearch/core";
import { expect } from "vitest";
import type { StorageCheck, StorageCheckContext } from "../context.js";
import { at, chainFixture, creatorFixture, creatorsFixture, jobFixture } from "../fixtures.js";

/** Creators of the big-job checks: enough that loading them all at once would show. */
export const BIG_JOB_CREATORS = 10_000;
const PAGE = 100;

/** Fills job `big` with BIG_JOB_CREATORS creators, committed in pages of 100 as a worker would. */
async function bigJob({ storage, campaign }: StorageCheckContext): Promise<void> {
  await storage.createJob(jobFixture("big", campaign, { targetResults: BIG_JOB_CREATORS }), [chainFixture("big", "soup")]);
  for (let step = 0; step * PAGE < BIG_JOB_CREATORS; step++) {
    const now = at(10 * step);
    const claim = await storage.claimStep({ jobId: "big", chain: "soup", step, owner: "w", leaseMs: 60_000, now });
    expect(claim.status).toBe("claimed");
    const ids = Array.from({ length: PAGE }, (_, i) => `c${String(step * PAGE + i).padStart(5, "0")}`);
    const page = ids.map((id) => creatorFixture(id, "soup"));
    await storage.commitPage({ jobId: "big", chain: "soup", step, owner: "w", creators: page, nextCursor: String(step + 1), exhausted: false, now });
  }
}

/**
 * The storage as the engine sees it, counting the rows each `listCreators` call returns: the
 * reads of a big job must come in bounded batches, never as one query for every row.
 */
function countingReads(storage: StorageAdapter) {
  const calls: number[] = [];
  const counted: StorageAdapter = {
    ...storage,
    id: storage.id,
    async listCreators(jobId: string, options: ListCreatorsOptions) {
      const rows = await storage.listCreators(jobId, options);
      calls.push(rows.length);
      return rows;
    },
    close: async () => {}, // the suite closes the real one
  };
  // Adapters may be classes: bind every other method to the real storage.
  for (const key of Object.keys(counted) as (keyof StorageAdapter)[]) {
    const value = storage[key];
    if (typeof value === "function" && key !== "listCreators" && key !== "close") (counted as any)[key] = value.bind(storage);
  }
  return { storage: counted, calls };
}

const noPlatform: PlatformAdapter = {
  id: "scripted",
  name: "Scripted",
  modes: ["keyword"],
  planChains: () => {
    throw new ConfigurationError("not used by read checks");
  },
  fetchPage: () => Promise.reject(new ConfigurationError("not used by read checks")),
  parsePage: () => {
    throw new ConfigurationError("not used by read checks");
  },
};

/** `listCreators` and the reads built on it: keyset pages, streamed exports. */
export const readChecks = {
  "listCreators: keyset pages stay stable while inserts go on": {
    async run({ storage, claimedJob, claim, commit }) {
      await claimedJob();
      await commit(0, creatorsFixture("soup", "a", "b", "c", "d"));
      const first = await storage.listCreators("j1", { limit: 2 });
      expect(first.map((c) => c.id)).toEqual(["a", "b"]);
      await claim(1);
      await commit(1, creatorsFixture("soup", "e", "a", "f"));
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
      expect(await storage.listCreators("nope", { limit: 10 })).toEqual([]);
    },
  },
  "big job: 10,000 creators listed in keyset pages of 100, in order, each once": {
    timeoutMs: 180_000,
    async run(ctx) {
      await bigJob(ctx);
      expect((await ctx.storage.getJob("big"))!.processedResults).toBe(BIG_JOB_CREATORS);
      const { storage, calls } = countingReads(ctx.storage);
      const ids: string[] = [];
      let after = 0;
      for (;;) {
        const batch = await storage.listCreators("big", { after, limit: PAGE });
        if (batch.length === 0) break;
        ids.push(...batch.map((c) => c.id));
        after = batch.at(-1)!.seq;
      }
      expect(ids).toHaveLength(BIG_JOB_CREATORS);
      expect(ids[0]).toBe("c00000");
      expect(ids.at(-1)).toBe(`c${String(BIG_JOB_CREATORS - 1).padStart(5, "0")}`);
      expect(new Set(ids).size).toBe(BIG_JOB_CREATORS);
      expect(Math.max(...calls)).toBe(PAGE);
      // A page from the middle is exactly the rows after its cursor.
      const middle = await storage.listCreators("big", { after: (await storage.listCreators("big", { limit: 5000 })).at(-1)!.seq, limit: PAGE });
      expect(middle.map((c) => c.id)).toEqual(ids.slice(5000, 5000 + PAGE));
    },
  },
  "big job: the CSV export of 10,000 creators streams in bounded batches": {
    timeoutMs: 180_000,
    async run(ctx) {
      await bigJob(ctx);
      const { storage, calls } = countingReads(ctx.storage);
      const cs = createCreatorSearch({ storage, queue: memoryQueue(), platforms: [noPlatform], worker: false, recoverIntervalMs: 0 });
      try {
        let lines = 0;
        let chunks = 0;
        let callsAtFirstChunk = -1;
        for await (const chunk of cs.results.export("alice", { jobId: "big", format: "csv" })) {
          if (callsAtFirstChunk < 0) callsAtFirstChunk = calls.length;
          chunks += 1;
          lines += chunk.split("\n").length - 1;
        }
        expect(lines).toBe(BIG_JOB_CREATORS + 1); // with the header
        // Streamed: the first chunk left before most rows were read, and no read returned them all.
        expect(callsAtFirstChunk).toBeLessThanOrEqual(2);
        expect(chunks).toBeGreaterThan(2);
        expect(calls.reduce((a, b) => a + b, 0)).toBe(BIG_JOB_CREATORS);
        expect(Math.max(...calls)).toBeLessThanOrEqual(BIG_JOB_CREATORS / 10);
        await expect(async () => {
          for await (const _ of cs.results.export("mallory", { jobId: "big", format: "csv" })) {
            // another user's job must not export
          }
        }).rejects.toThrow(/not found/i);
      } finally {
        await cs.close();
      }
    },
  },
} satisfies Record<string, StorageCheck>;
