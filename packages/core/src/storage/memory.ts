import type { Campaign } from "../model/campaign.js";
import type { JobCreator } from "../model/creator.js";
import { isTerminal, type SearchChain, type SearchJob, type StoredPage } from "../model/job.js";
import { mergeCreator } from "../model/merge.js";
import { progressOf } from "./progress.js";
import { rawPageJson } from "./raw-page-json.js";
import { dropsPageOnCommit, dropsPagesOnFinish, prunePolicy, resolveRawPageRetention } from "./retention.js";
import type {
  CampaignPatch,
  ClaimStepRequest,
  ClaimStepResult,
  CommitPageRequest,
  CommitPageResult,
  FinishJobRequest,
  ListCreatorsOptions,
  ListJobsOptions,
  ListOptions,
  PrunePagesResult,
  RawPageRetention,
  StorageAdapter,
} from "./types.js";

const clone = <T>(value: T): T => structuredClone(value);
const encoder = new TextEncoder();

/** Options of {@link memoryStorage}. */
export interface MemoryStorageOptions {
  /** How long raw pages are kept once their step has committed (default `"until-committed"`). */
  rawPages?: RawPageRetention;
}

/**
 * Storage in process memory, for tests and throwaway scripts. Data is lost when the process
 * exits. JavaScript runs one synchronous block at a time, so every method body is atomic.
 * Throws `ConfigurationError` for an invalid `rawPages`.
 */
export function memoryStorage(options: MemoryStorageOptions = {}): StorageAdapter {
  const rawPages = resolveRawPageRetention(options.rawPages);
  const campaigns = new Map<string, Campaign>();
  const jobs = new Map<string, SearchJob>();
  const chains = new Map<string, SearchChain>(); // key: jobId/chain
  const pages = new Map<string, StoredPage>(); // key: jobId/chain/step
  const creators = new Map<string, Map<string, JobCreator>>(); // jobId -> platform/id -> creator
  const excluded = new Map<string, Set<string>>(); // jobId -> platform/id of creators failing its filters
  let seq = 0;

  const chainKey = (jobId: string, chain: string) => `${jobId}/${chain}`;
  const jobCreators = (jobId: string) => {
    let map = creators.get(jobId);
    if (!map) creators.set(jobId, (map = new Map()));
    return map;
  };
  const jobExcluded = (jobId: string) => {
    let set = excluded.get(jobId);
    if (!set) excluded.set(jobId, (set = new Set()));
    return set;
  };
  const byNewest = <T extends { createdAt: Date; id: string }>(a: T, b: T) =>
    b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1);
  const page = <T>(items: T[], { limit, offset = 0 }: ListOptions) => items.slice(offset, offset + limit);
  const pageKey = (jobId: string, chain: string, step: number) => `${jobId}/${chain}/${step}`;
  const dropPagesOf = (jobId: string) => {
    for (const [key, p] of pages) if (p.jobId === jobId) pages.delete(key);
  };

  return {
    id: "memory",
    rawPages,

    async createCampaign(campaign) {
      campaigns.set(campaign.id, clone(campaign));
      return clone(campaign);
    },
    async getCampaign(userId, id) {
      const c = campaigns.get(id);
      return c && c.userId === userId ? clone(c) : null;
    },
    async listCampaigns(userId, options) {
      const mine = [...campaigns.values()].filter(
        (c) => c.userId === userId && (options.includeArchived || c.archivedAt === null),
      );
      return page(mine.sort(byNewest), options).map(clone);
    },
    async updateCampaign(userId, id, patch: CampaignPatch, now) {
      const c = campaigns.get(id);
      if (!c || c.userId !== userId) return null;
      const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
      const next = { ...c, ...defined, updatedAt: now };
      campaigns.set(id, next);
      return clone(next);
    },

    async createJob(job, jobChains) {
      jobs.set(job.id, clone(job));
      for (const c of jobChains) chains.set(chainKey(job.id, c.key), clone(c));
    },
    async getJob(id, userId) {
      const j = jobs.get(id);
      return j && (userId === undefined || j.userId === userId) ? clone(j) : null;
    },
    async listJobs(userId, options: ListJobsOptions) {
      const mine = [...jobs.values()].filter(
        (j) =>
          j.userId === userId &&
          (!options.campaignId || j.campaignId === options.campaignId) &&
          (!options.status || j.status === options.status),
      );
      return page(mine.sort(byNewest), options).map(clone);
    },
    async listUnfinishedJobs(options) {
      const open = [...jobs.values()].filter((j) => !isTerminal(j.status));
      return page(open.sort((a, b) => -byNewest(a, b)), options).map(clone);
    },
    async listChains(jobId) {
      return [...chains.values()]
        .filter((c) => c.jobId === jobId)
        .sort((a, b) => (a.key < b.key ? -1 : 1))
        .map(clone);
    },

    async claimStep(req: ClaimStepRequest): Promise<ClaimStepResult> {
      const job = jobs.get(req.jobId);
      const chain = chains.get(chainKey(req.jobId, req.chain));
      if (!job || !chain || isTerminal(job.status) || chain.exhausted || chain.step !== req.step) {
        return { status: "done" };
      }
      if (chain.leaseOwner && chain.leaseOwner !== req.owner && chain.leaseExpiresAt! > req.now) {
        return { status: "busy", leaseExpiresAt: chain.leaseExpiresAt! };
      }
      chain.leaseOwner = req.owner;
      chain.leaseExpiresAt = new Date(req.now.getTime() + req.leaseMs);
      chain.updatedAt = req.now;
      if (job.status === "pending") {
        job.status = "processing";
        job.startedAt = req.now;
        job.updatedAt = req.now;
      }
      return { status: "claimed", job: clone(job), chain: clone(chain) };
    },
    async releaseStep({ jobId, chain: key, step, owner }) {
      const chain = chains.get(chainKey(jobId, key));
      if (chain && chain.step === step && chain.leaseOwner === owner) {
        chain.leaseOwner = null;
        chain.leaseExpiresAt = null;
      }
    },

    async renewStep({ jobId, chain: key, step, owner, leaseMs, now }) {
      const chain = chains.get(chainKey(jobId, key));
      if (!chain || chain.step !== step || chain.leaseOwner !== owner) return false;
      chain.leaseExpiresAt = new Date(now.getTime() + leaseMs);
      return true;
    },

    async getPage(jobId, chain, step) {
      const p = pages.get(pageKey(jobId, chain, step));
      return p ? clone(p) : null;
    },
    async savePage(p) {
      const key = pageKey(p.jobId, p.chain, p.step);
      if (!pages.has(key)) pages.set(key, clone(p));
    },
    async reserveApiCall(jobId, max) {
      const job = jobs.get(jobId);
      if (!job || isTerminal(job.status) || job.apiCalls >= max || job.processedResults >= job.targetResults) return false;
      job.apiCalls += 1;
      return true;
    },

    async commitPage(req: CommitPageRequest): Promise<CommitPageResult | null> {
      const job = jobs.get(req.jobId);
      const chain = chains.get(chainKey(req.jobId, req.chain));
      if (!job || !chain || isTerminal(job.status)) return null;
      if (chain.step !== req.step || chain.leaseOwner !== req.owner) return null;

      const stored = jobCreators(req.jobId);
      const excludedOfJob = jobExcluded(req.jobId);
      const accepts = req.accepts ?? (() => true);
      let newCreators = 0;
      for (const c of req.creators) {
        const key = `${c.platform}/${c.id}`;
        const seen = stored.get(key);
        const merged = seen ? mergeCreator(seen, c) : clone(c);
        if (seen && !excludedOfJob.has(key)) {
          stored.set(key, { ...merged, seq: seen.seq, firstSeenAt: seen.firstSeenAt });
          continue; // admission is final
        }
        if (!seen) newCreators += 1;
        const admitted = accepts(merged);
        // Admitted now (first sight, or a later page made it pass): it takes the next position.
        stored.set(key, { ...merged, seq: admitted ? ++seq : (seen?.seq ?? 0), firstSeenAt: seen?.firstSeenAt ?? req.now });
        if (admitted) excludedOfJob.delete(key);
        else excludedOfJob.add(key);
      }
      if (dropsPageOnCommit(rawPages)) pages.delete(pageKey(req.jobId, req.chain, req.step));
      chain.step = req.step + 1;
      chain.cursor = req.exhausted ? chain.cursor : req.nextCursor;
      chain.exhausted = req.exhausted;
      chain.leaseOwner = null;
      chain.leaseExpiresAt = null;
      chain.updatedAt = req.now;

      job.processedResults = stored.size - excludedOfJob.size;
      job.filtered = excludedOfJob.size;
      job.processedRuns += 1;
      job.dryPages = newCreators > 0 ? 0 : job.dryPages + 1;
      job.progress = progressOf(job.processedResults, job.targetResults);
      job.updatedAt = req.now;
      return { job: clone(job), chain: clone(chain), newCreators };
    },

    async finishJob(req: FinishJobRequest) {
      const job = jobs.get(req.jobId);
      if (!job || isTerminal(job.status)) return null;
      job.status = req.status;
      job.stopReason = req.stopReason;
      job.error = req.error ?? null;
      job.completedAt = req.now;
      job.updatedAt = req.now;
      if (req.status === "completed" && req.stopReason === "target_reached") job.progress = 100;
      if (dropsPagesOnFinish(rawPages)) dropPagesOf(req.jobId);
      return clone(job);
    },

    async prunePages({ now, dryRun }): Promise<PrunePagesResult> {
      const { terminalOnly, fetchedBefore } = prunePolicy(rawPages, now);
      const result: PrunePagesResult = { pages: 0, bytes: 0 };
      for (const [key, p] of pages) {
        const job = jobs.get(p.jobId);
        const chain = chains.get(chainKey(p.jobId, p.chain));
        const done = !job || isTerminal(job.status);
        const committed = !chain || chain.step > p.step;
        if (!(done || (committed && !terminalOnly))) continue;
        if (fetchedBefore && p.fetchedAt >= fetchedBefore) continue;
        result.pages += 1;
        result.bytes += encoder.encode(rawPageJson(p.raw)).byteLength;
        if (!dryRun) pages.delete(key);
      }
      return result;
    },

    async listCreators(jobId, { after = 0, limit }: ListCreatorsOptions) {
      const excludedOfJob = jobExcluded(jobId);
      return [...jobCreators(jobId).entries()]
        .filter(([key, c]) => c.seq > after && !excludedOfJob.has(key))
        .map(([, c]) => c)
        .sort((a, b) => a.seq - b.seq)
        .slice(0, limit)
        .map(clone);
    },

    async close() {},
  };
}
