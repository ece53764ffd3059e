import type { Campaign } from "../model/campaign.js";
import type { Creator, JobCreator } from "../model/creator.js";
import { isTerminal, type SearchChain, type SearchJob, type StoredPage } from "../model/job.js";
import { mergeCreator } from "../model/merge.js";
import { type StoredRosterEntry, identityKeysOf, linkKeysOf, mergeRosterData, rosterEntryId } from "../model/roster.js";
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
  ListRosterOptions,
  RosterKeyMatch,
  PrunePagesResult,
  RawPageRetention,
  StorageAdapter,
} from "./types.js";

const clone = <T>(value: T): T => structuredClone(value);

/** A roster entry as kept in memory: the stored fields, without what reads derive. */
type MemoryRosterEntry = Pick<
  StoredRosterEntry,
  "id" | "seq" | "campaignId" | "platform" | "platformId" | "handle" | "status" | "notes" | "tags" | "firstSeenAt" | "updatedAt"
> & {
  userId: string;
  firstJobId: string;
  data: Creator;
};
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
  const known = new Map<string, Set<string>>(); // jobId -> platform/id of creators its campaign had (onlyNew)
  const rosters = new Map<string, Map<string, MemoryRosterEntry>>(); // campaignId -> roster id -> entry
  let seq = 0;
  let rosterSeq = 0;

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
  const jobKnown = (jobId: string) => {
    let set = known.get(jobId);
    if (!set) known.set(jobId, (set = new Set()));
    return set;
  };
  const rosterOf = (campaignId: string) => {
    let map = rosters.get(campaignId);
    if (!map) rosters.set(campaignId, (map = new Map()));
    return map;
  };
  /** Adds or refreshes the roster entry of a creator the job admits; returns it. */
  const upsertRoster = (job: SearchJob, record: Creator | JobCreator, now: Date): MemoryRosterEntry => {
    // The job's record carries its own position and first sight: not the roster's.
    const { seq: _seq, firstSeenAt: _first, ...creator } = record as JobCreator;
    const roster = rosterOf(job.campaignId);
    const id = rosterEntryId(creator.platform, creator.id);
    const entry = roster.get(id);
    if (entry) {
      entry.data = mergeRosterData(entry.data, creator);
      entry.handle = entry.data.handle;
      entry.updatedAt = now;
      return entry;
    }
    const added: MemoryRosterEntry = {
      id,
      seq: ++rosterSeq,
      campaignId: job.campaignId,
      userId: job.userId,
      platform: creator.platform,
      platformId: creator.id,
      handle: creator.handle,
      data: mergeRosterData(null, creator),
      status: "new",
      notes: null,
      tags: [],
      firstJobId: job.id,
      firstSeenAt: now,
      updatedAt: now,
    };
    roster.set(id, added);
    return added;
  };
  /** The jobs of the campaign that store the creator admitted or known, first found first. */
  const foundByOf = (campaignId: string, key: string) => {
    const sources: StoredRosterEntry["foundBy"] = [];
    for (const job of jobs.values()) {
      if (job.campaignId !== campaignId) continue;
      const stored = creators.get(job.id)?.get(key);
      if (!stored || excluded.get(job.id)?.has(key)) continue;
      sources.push({ jobId: job.id, inputs: [...stored.matchedKeywords], at: new Date(stored.firstSeenAt) });
    }
    return sources.sort((a, b) => a.at.getTime() - b.at.getTime() || (a.jobId < b.jobId ? -1 : 1));
  };
  const toStoredEntry = (entry: MemoryRosterEntry): StoredRosterEntry => {
    const { userId: _user, firstJobId: _first, data, ...fields } = entry;
    const { platform: _p, id: _id, handle: _h, posts: _posts, matchedKeywords: _k, links, ...figures } = clone(data);
    return {
      ...figures,
      ...clone(fields),
      links: links ?? [],
      foundBy: foundByOf(entry.campaignId, `${entry.platform}/${entry.platformId}`),
    };
  };
  const rosterOfUser = (userId: string, campaignId: string) => {
    const campaign = campaigns.get(campaignId);
    return campaign && campaign.userId === userId ? rosterOf(campaignId) : null;
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
      const knownOfJob = jobKnown(req.jobId);
      const accepts = req.accepts ?? (() => true);
      let newCreators = 0;
      for (const c of req.creators) {
        const key = `${c.platform}/${c.id}`;
        const seen = stored.get(key);
        const merged = seen ? mergeCreator(seen, c) : clone(c);
        if (seen && !excludedOfJob.has(key)) {
          stored.set(key, { ...merged, seq: seen.seq, firstSeenAt: seen.firstSeenAt });
          upsertRoster(job, merged, req.now);
          continue; // admission (or being known) is final
        }
        if (!seen) newCreators += 1;
        const admitted = accepts(merged);
        // Admitted now (first sight, or a later page made it pass): it takes the next position.
        stored.set(key, { ...merged, seq: admitted ? ++seq : (seen?.seq ?? 0), firstSeenAt: seen?.firstSeenAt ?? req.now });
        if (!admitted) {
          excludedOfJob.add(key);
          continue;
        }
        excludedOfJob.delete(key);
        const entry = upsertRoster(job, merged, req.now);
        if (req.onlyNew && entry.firstJobId !== job.id) knownOfJob.add(key);
      }
      if (dropsPageOnCommit(rawPages)) pages.delete(pageKey(req.jobId, req.chain, req.step));
      chain.step = req.step + 1;
      chain.cursor = req.exhausted ? chain.cursor : req.nextCursor;
      chain.exhausted = req.exhausted;
      chain.leaseOwner = null;
      chain.leaseExpiresAt = null;
      chain.updatedAt = req.now;

      job.processedResults = stored.size - excludedOfJob.size - knownOfJob.size;
      job.filtered = excludedOfJob.size;
      job.skippedKnown = knownOfJob.size;
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
      const knownOfJob = jobKnown(jobId);
      return [...jobCreators(jobId).entries()]
        .filter(([key, c]) => c.seq > after && !excludedOfJob.has(key) && !knownOfJob.has(key))
        .map(([, c]) => c)
        .sort((a, b) => a.seq - b.seq)
        .slice(0, limit)
        .map(clone);
    },

    async listRoster(userId, campaignId, options: ListRosterOptions) {
      const roster = rosterOfUser(userId, campaignId);
      if (!roster) return [];
      const { after = 0, limit, status, platform, tag, q, handles } = options;
      const needle = q?.toLowerCase();
      const wanted = handles && new Set(handles.map((h) => h.toLowerCase()));
      const matches = (e: MemoryRosterEntry) =>
        e.seq > after &&
        (!status || e.status === status) &&
        (!platform || e.platform === platform) &&
        (!tag || e.tags.includes(tag)) &&
        (!wanted || wanted.has(e.handle.toLowerCase())) &&
        (!needle || e.handle.toLowerCase().includes(needle) || (e.data.name ?? "").toLowerCase().includes(needle));
      return [...roster.values()].filter(matches).sort((a, b) => a.seq - b.seq).slice(0, limit).map(toStoredEntry);
    },
    async getRosterEntries(userId, campaignId, ids) {
      const roster = rosterOfUser(userId, campaignId);
      if (!roster) return [];
      return [...new Set(ids)].flatMap((id) => {
        const entry = roster.get(id);
        return entry ? [toStoredEntry(entry)] : [];
      });
    },
    async updateRosterEntries(userId, campaignId, ids, patch, now) {
      const roster = rosterOfUser(userId, campaignId);
      if (!roster) return [];
      const updated: StoredRosterEntry[] = [];
      for (const id of new Set(ids)) {
        const entry = roster.get(id);
        if (!entry) continue;
        if (patch.status !== undefined) entry.status = patch.status;
        if (patch.notes !== undefined) entry.notes = patch.notes;
        if (patch.tags !== undefined) entry.tags = [...patch.tags];
        entry.updatedAt = now;
        updated.push(toStoredEntry(entry));
      }
      return updated;
    },
    async findRosterKeys(campaignId, query) {
      const self = new Set(query.self);
      const link = new Set(query.link);
      const found: RosterKeyMatch[] = [];
      for (const e of rosterOf(campaignId).values()) {
        const ref = { id: e.id, platform: e.platform, handle: e.handle };
        for (const key of identityKeysOf(e)) if (self.has(key)) found.push({ ...ref, key, kind: "self" });
        for (const key of linkKeysOf(e.data.links)) if (link.has(key)) found.push({ ...ref, key, kind: "link" });
      }
      return found;
    },

    async close() {},
  };
}
