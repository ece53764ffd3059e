import type { Campaign, CampaignStatus } from "../model/campaign.js";
import type { Creator, JobCreator } from "../model/creator.js";
import type { JobStatus, SearchChain, SearchJob, StopReason, StoredPage } from "../model/job.js";

/** Fields of a campaign that `updateCampaign` may change. */
export interface CampaignPatch {
  name?: string;
  description?: string | null;
  searchType?: Campaign["searchType"];
  status?: CampaignStatus;
  platforms?: string[];
  archivedAt?: Date | null;
}

/** Offset paging for lists of campaigns and jobs (newest first). */
export interface ListOptions {
  limit: number;
  offset?: number;
}

/** Filters of `listJobs`. */
export interface ListJobsOptions extends ListOptions {
  campaignId?: string;
  status?: JobStatus;
}

/** Request to claim step `step` of `chain` for `owner` until `now + leaseMs`. */
export interface ClaimStepRequest {
  jobId: string;
  chain: string;
  step: number;
  owner: string;
  leaseMs: number;
  now: Date;
}

/** Request to extend `owner`'s lease on step `step` of `chain` to `now + leaseMs`. */
export interface RenewStepRequest {
  jobId: string;
  chain: string;
  step: number;
  owner: string;
  leaseMs: number;
  now: Date;
}

/**
 * Outcome of a claim:
 * - `claimed`: the caller holds the step until the lease expires;
 * - `done`: the step will never run again (the chain is past it or exhausted, or the job ended);
 * - `busy`: another owner holds an unexpired lease on this very step.
 */
export type ClaimStepResult =
  | {
      status: "claimed";
      job: SearchJob;
      chain: SearchChain;
      /**
       * The step's stored raw page (`null`: none), for an adapter that reads it in the claim's
       * own round trip. Absent: the engine asks `getPage`.
       */
      page?: StoredPage | null;
    }
  | { status: "done" }
  | { status: "busy"; leaseExpiresAt: Date };

/** The outcome of one page, committed in one transaction. */
export interface CommitPageRequest {
  jobId: string;
  chain: string;
  step: number;
  owner: string;
  /** Normalized creators of the page, already merged within the page (one per creator id). */
  creators: Creator[];
  /**
   * The job's filters as a predicate over a creator's **merged** record (see
   * `matchesFilters`). A creator it refuses is stored but excluded: not listed, not counted in
   * `processedResults`, counted in `filtered`. An excluded creator it accepts on a later page is
   * admitted with a new `seq`; an admitted creator is never excluded again. Absent: all pass.
   */
  accepts?: (creator: Creator) => boolean;
  /** Cursor of the next page; ignored when `exhausted`. */
  nextCursor: string | null;
  exhausted: boolean;
  now: Date;
}

export interface CommitPageResult {
  job: SearchJob;
  chain: SearchChain;
  /** Creators of the page that the job had not seen before (admitted or excluded). */
  newCreators: number;
  /**
   * Every chain of the job as the commit left them, ordered by key, for an adapter that reads
   * them in the commit's own round trips. Absent: the engine asks `listChains`.
   */
  chains?: SearchChain[];
}

/** Request to end a job. */
export interface FinishJobRequest {
  jobId: string;
  status: Extract<JobStatus, "completed" | "error" | "timeout" | "cancelled">;
  stopReason: StopReason;
  error?: string | null;
  now: Date;
}

/** Keyset paging over a job's creators, in first-seen order. */
export interface ListCreatorsOptions {
  /** Return creators with `seq` greater than this (exclusive). */
  after?: number;
  limit: number;
}

/**
 * Where campaigns, jobs, chains, raw pages and creators live.
 *
 * Every method that reads or writes a user's object takes the `userId` and applies it in the
 * query itself, so another user's id behaves exactly like an id that does not exist.
 *
 * The step methods (`claimStep`, `savePage`, `reserveApiCall`, `commitPage`, `finishJob`) carry
 * the guarantees that make a job safe under at-least-once delivery. An adapter passes
 * `@creatorsearch/test-utils/storage` to prove them.
 */
export interface StorageAdapter {
  /** Stable id used in logs and tests, e.g. `"memory"`, `"sqlite"`. */
  readonly id: string;

  createCampaign(campaign: Campaign): Promise<Campaign>;
  /** The campaign, or `null` when it does not exist or belongs to another user. */
  getCampaign(userId: string, id: string): Promise<Campaign | null>;
  /** The user's campaigns, newest first; archived ones only when `includeArchived`. */
  listCampaigns(userId: string, options: ListOptions & { includeArchived?: boolean }): Promise<Campaign[]>;
  /** Applies `patch` and returns the campaign, or `null` when not found for this user. */
  updateCampaign(userId: string, id: string, patch: CampaignPatch, now: Date): Promise<Campaign | null>;

  /** Stores a job and all its chains atomically. */
  createJob(job: SearchJob, chains: SearchChain[]): Promise<void>;
  /** The job; with `userId`, only if it belongs to that user. */
  getJob(id: string, userId?: string): Promise<SearchJob | null>;
  /** The user's jobs, newest first. */
  listJobs(userId: string, options: ListJobsOptions): Promise<SearchJob[]>;
  /** Non-terminal jobs of every user, oldest first (for stalled-job recovery). */
  listUnfinishedJobs(options: ListOptions): Promise<SearchJob[]>;
  /** The job's chains, ordered by key. */
  listChains(jobId: string): Promise<SearchChain[]>;

  /**
   * Claims a step with one conditional update: it succeeds only when the job is not terminal,
   * the chain's `step` equals `request.step`, the chain is not exhausted, and no other owner
   * holds an unexpired lease. Exactly one of any number of concurrent callers gets `claimed`.
   * A successful claim also moves a `pending` job to `processing` (setting `startedAt`).
   */
  claimStep(request: ClaimStepRequest): Promise<ClaimStepResult>;
  /** Releases `owner`'s lease on the step, if it still holds it (after a failed attempt). */
  releaseStep(request: { jobId: string; chain: string; step: number; owner: string }): Promise<void>;
  /**
   * Extends `owner`'s lease on the step to `now + leaseMs` (the heartbeat of a running step, so
   * leases can be short and a dead worker's step is taken over soon). Only while `owner` still
   * holds the step (the chain is at `step` and the lease is `owner`'s, expired or not); returns
   * whether it did. Changes nothing else.
   */
  renewStep(request: RenewStepRequest): Promise<boolean>;

  /** The stored raw page of `(jobId, chain, step)`, or `null`. */
  getPage(jobId: string, chain: string, step: number): Promise<StoredPage | null>;
  /** Stores a raw page; a page already stored for the same key is kept (insert-or-ignore). */
  savePage(page: StoredPage): Promise<void>;
  /**
   * Counts one upstream API call against the job's budget: increments `apiCalls` only while it
   * is below `max`, atomically. Returns `false` (and changes nothing) when the budget is spent.
   */
  reserveApiCall(jobId: string, max: number): Promise<boolean>;

  /**
   * Commits a processed page in one transaction, conditioned on `owner` holding the claim on
   * `step` and the job not being terminal (otherwise returns `null` and writes nothing):
   * inserts new creators (unique per `(jobId, platform, creatorId)`; a creator seen before is
   * merged with `mergeCreator`, keeping its `seq`), applies `accepts` to each merged record
   * (see {@link CommitPageRequest.accepts}), advances the chain (`step + 1`, cursor,
   * exhausted), releases the lease, and recomputes the job counters from stored rows
   * (`processedResults` = admitted creators, `filtered` = excluded creators,
   * `processedRuns` + 1, `dryPages` (pages with no creator new to the job), `progress`).
   */
  commitPage(request: CommitPageRequest): Promise<CommitPageResult | null>;

  /** Moves a non-terminal job to a terminal status; returns `null` if it was already terminal. */
  finishJob(request: FinishJobRequest): Promise<SearchJob | null>;

  /** The job's admitted creators (never excluded ones) by `seq`, after a keyset cursor. */
  listCreators(jobId: string, options: ListCreatorsOptions): Promise<JobCreator[]>;

  /** Releases connections. */
  close(): Promise<void>;
}
