import type { Campaign, CampaignStatus } from "../model/campaign.js";
import type { Creator, JobCreator } from "../model/creator.js";
import type { RosterPatch, RosterStatus, StoredRosterEntry } from "../model/roster.js";
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
  /**
   * The job searches for creators its campaign does not have yet: a creator whose roster entry
   * was added by another job is *known* to this job (see {@link StorageAdapter.commitPage}).
   */
  onlyNew?: boolean;
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

/**
 * How long a storage keeps a step's raw upstream page (DESIGN.md: raw pages are insurance, not
 * archive). A page is always kept while crash safety needs it: from the fetch until its step
 * has committed, so a redelivered step reuses it instead of paying again. After that:
 * - `"until-committed"` (default): dropped in the commit itself; pages a terminal job never
 *   committed (a cancelled or timed-out job) are dropped when the job ends;
 * - `"until-job-done"`: every page of a job is dropped when the job ends;
 * - `{ keepDays }`: kept for audits or re-parsing, and dropped by `prunePages` (`cs.maintenance.prune()`,
 *   `creatorsearch prune`) once older than `keepDays` and no longer needed.
 */
export type RawPageRetention = "until-committed" | "until-job-done" | { keepDays: number };

/** Request of {@link StorageAdapter.prunePages}. */
export interface PrunePagesRequest {
  /** The clock `keepDays` counts from. */
  now: Date;
  /** Count what would go, delete nothing. */
  dryRun?: boolean;
  /**
   * Also hand the freed space back to the file system: SQLite runs `VACUUM` (which also turns
   * on incremental auto-vacuum in a file created before it), Postgres `VACUUM` on the pages
   * table. Without it the space is reused by later pages. Ignored in a dry run.
   */
  vacuum?: boolean;
}

/** What {@link StorageAdapter.prunePages} dropped (or, in a dry run, would drop). */
export interface PrunePagesResult {
  /** Raw pages. */
  pages: number;
  /** Bytes of those pages as stored (before any compression the database applies). */
  bytes: number;
}

/** Keyset paging over a job's creators, in first-seen order. */
export interface ListCreatorsOptions {
  /** Return creators with `seq` greater than this (exclusive). */
  after?: number;
  limit: number;
}

/** Keyset paging and filters over a campaign's roster, in the order entries joined it. */
export interface ListRosterOptions {
  /** Entries with `seq` greater than this (exclusive). */
  after?: number;
  limit: number;
  status?: RosterStatus;
  platform?: string;
  /** Entries carrying this tag (exact match). */
  tag?: string;
  /** Entries whose handle or name contains this text, case-insensitively (no wildcards). */
  q?: string;
  /** Entries with one of these handles (case-insensitive, without `@`). */
  handles?: string[];
}

/** The keys {@link StorageAdapter.findRosterKeys} looks for, by kind (see `identityKeysOf`, `linkKeysOf`). */
export interface RosterKeyQuery {
  /** Keys to find as an entry's own account. */
  self?: readonly string[];
  /** Keys to find as an account an entry links to. */
  link?: readonly string[];
}

/** An entry of a roster that has one of the keys asked for (see `identityKeysOf`, `linkKeysOf`). */
export interface RosterKeyMatch {
  /** The entry's roster id. */
  id: string;
  platform: string;
  handle: string;
  /** The key asked for. */
  key: string;
  /** Whether the key identifies the entry itself (`self`) or an account it links to (`link`). */
  kind: "self" | "link";
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
  /** How long raw pages are kept once their step has committed; see {@link RawPageRetention}. */
  readonly rawPages: RawPageRetention;

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
   * is below `max`, the job has not reached its target (`processedResults < targetResults`) and
   * is not terminal, atomically. Returns `false` (and changes nothing) otherwise: nothing is
   * paid for a page whose creators could no longer be used.
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
   * With `rawPages: "until-committed"` the step's raw page goes too (it is no longer needed:
   * the chain is past the step, so no delivery of it can run again).
   *
   * **The campaign's roster**, in the same transaction: every creator of the page that the job
   * admits (after the merge and `accepts`) is upserted into the roster of the job's campaign,
   * one entry per `(platform, creator id)` however many jobs commit it at once: a new entry
   * gets status `new`, no notes, no tags, this job as its first job and the next roster `seq`;
   * an existing one gets `mergeRosterData(stored, merged)` and keeps its `seq`, first job,
   * `firstSeenAt`, status, notes and tags. Its link keys (`identityKeysOf`, `linkKeysOf`)
   * are kept for {@link StorageAdapter.findRosterKeys}.
   * With `onlyNew`, a creator whose entry's first job is another job is *known*: it stays
   * stored for the job but is never listed, not counted in `processedResults` or `filtered`,
   * and counted in `skippedKnown`; being known is final for the job. Excluded creators do not
   * enter the roster.
   */
  commitPage(request: CommitPageRequest): Promise<CommitPageResult | null>;

  /**
   * Moves a non-terminal job to a terminal status; returns `null` if it was already terminal.
   * Unless `rawPages` is `{ keepDays }`, the job's raw pages go with it (a terminal job runs no
   * step again).
   */
  finishJob(request: FinishJobRequest): Promise<SearchJob | null>;

  /**
   * Drops the raw pages the retention setting no longer keeps, for databases written before it
   * (or by `{ keepDays }`): never a page whose step may still run (its job is not terminal and
   * its chain has not moved past it). With `dryRun`, only counts them.
   */
  prunePages(request: PrunePagesRequest): Promise<PrunePagesResult>;

  /** The job's admitted creators (never excluded ones) by `seq`, after a keyset cursor. */
  listCreators(jobId: string, options: ListCreatorsOptions): Promise<JobCreator[]>;

  /**
   * A page of the campaign's roster, by `seq`, with the filters of `options` (all must hold).
   * `foundBy` lists the campaign's jobs that store the creator admitted or known (never
   * excluded), by the time they first found it. Empty when the campaign is another user's.
   */
  listRoster(userId: string, campaignId: string, options: ListRosterOptions): Promise<StoredRosterEntry[]>;
  /** The entries of these roster ids that exist in the user's campaign (in any order). */
  getRosterEntries(userId: string, campaignId: string, ids: readonly string[]): Promise<StoredRosterEntry[]>;
  /**
   * Applies `patch` to the entries of these ids in one transaction (`updatedAt` = `now`) and
   * returns those that exist in the user's campaign; ids not there are left out.
   */
  updateRosterEntries(userId: string, campaignId: string, ids: readonly string[], patch: RosterPatch, now: Date): Promise<StoredRosterEntry[]>;
  /**
   * Entries of the campaign that have one of `query.self` as their own key (kind `self`), or one
   * of `query.link` as the key of an account they link to (kind `link`); see {@link RosterKeyMatch}.
   * The SDK asks for the accounts a page of entries links to, and for entries linking to them.
   */
  findRosterKeys(campaignId: string, query: RosterKeyQuery): Promise<RosterKeyMatch[]>;

  /** Releases connections. */
  close(): Promise<void>;
}
