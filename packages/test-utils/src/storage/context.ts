import type { Campaign, ClaimStepResult, CommitPageResult, Creator, SearchJob, StorageAdapter } from "@creatorsearch/core";
import { expect } from "vitest";
import { at, campaignFixture, chainFixture, jobFixture } from "./fixtures.js";
import type { OpenedStorage, RawStorage, StorageOpenOptions } from "./harness.js";

/** What every check gets: a fresh storage holding campaign `c1` of user `alice`. */
export interface StorageCheckContext {
  storage: StorageAdapter;
  /** The raw side channel; only checks declaring `needsRaw` may use it. */
  raw: RawStorage;
  campaign: Campaign;
  /** Another adapter on the same data (its own connection where the backend has several). */
  connect(): Promise<StorageAdapter>;
  /** A context over another fresh backend opened with `options` (closed after the test). */
  reopen(options: StorageOpenOptions): Promise<StorageCheckContext>;
  /** Job `j1` with chains `soup` and `bread`, and a claim on step 0 of `soup` by `w1`. */
  claimedJob(extra?: Partial<SearchJob>): Promise<SearchJob>;
  /** Claims step `step` of `chain` (default `soup`) of `j1`. */
  claim(step: number, owner?: string, now?: Date, chain?: string): Promise<ClaimStepResult>;
  /** Commits step `step` of `j1` with `page`, cursor `(step + 1) * 30`. */
  commit(
    step: number,
    page: Creator[],
    extra?: { owner?: string; exhausted?: boolean; now?: Date; chain?: string; accepts?: (creator: Creator) => boolean },
  ): Promise<CommitPageResult | null>;
}

/** One named check of the suite. */
export interface StorageCheck {
  /** The check reads or deletes rows through the harness's raw side channel. */
  needsRaw?: boolean;
  /** Per-test timeout in ms (big-data checks). */
  timeoutMs?: number;
  run(ctx: StorageCheckContext): Promise<void>;
}

const noRaw: RawStorage = {
  select: () => Promise.reject(new Error("this harness has no raw side channel")),
  delete: () => Promise.reject(new Error("this harness has no raw side channel")),
};

/** Builds the context of one test over `opened`; `extra` collects connections to close, `reopen` opens another backend. */
export async function checkContext(
  opened: OpenedStorage,
  extra: StorageAdapter[],
  reopen: (options: StorageOpenOptions) => Promise<OpenedStorage> = () => Promise.reject(new Error("this context cannot reopen")),
): Promise<StorageCheckContext> {
  const { storage } = opened;
  const campaign = await storage.createCampaign(campaignFixture("c1", "alice"));
  const claim = (step: number, owner = "w1", now = at(1500 + step), chain = "soup") =>
    storage.claimStep({ jobId: "j1", chain, step, owner, leaseMs: 60_000, now });
  return {
    storage,
    raw: opened.raw ?? noRaw,
    campaign,
    async connect() {
      if (!opened.connect) return storage;
      const other = await opened.connect();
      extra.push(other);
      return other;
    },
    async claimedJob(extraFields = {}) {
      const job = jobFixture("j1", campaign, extraFields);
      await storage.createJob(job, [chainFixture("j1", "soup"), chainFixture("j1", "bread")]);
      expect((await claim(0, "w1", at(1000))).status).toBe("claimed");
      return job;
    },
    async reopen(options) {
      return checkContext(await reopen(options), extra, reopen);
    },
    claim,
    commit: (step, page, options = {}) =>
      storage.commitPage({
        jobId: "j1",
        chain: options.chain ?? "soup",
        step,
        owner: options.owner ?? "w1",
        creators: page,
        nextCursor: String((step + 1) * 30),
        exhausted: options.exhausted ?? false,
        now: options.now ?? at(2000 + step),
        ...(options.accepts ? { accepts: options.accepts } : {}),
      }),
  };
}
