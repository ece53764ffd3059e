import { z } from "zod";

/** Lifecycle of a search job. `completed`, `error`, `timeout` and `cancelled` are terminal. */
export const JobStatusSchema = z.enum(["pending", "processing", "completed", "error", "timeout", "cancelled"]);
export type JobStatus = z.infer<typeof JobStatusSchema>;

export const TERMINAL_STATUSES: readonly JobStatus[] = ["completed", "error", "timeout", "cancelled"];

/** True when a job in `status` will never run another step. */
export function isTerminal(status: JobStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/** What a job searches for. */
export const SearchModeSchema = z.enum(["keyword", "similar"]);
export type SearchMode = z.infer<typeof SearchModeSchema>;

/** Why a job stopped. */
export const StopReasonSchema = z.enum([
  "target_reached",
  "exhausted",
  "budget_spent",
  "no_new_results",
  "cancelled",
  "timeout",
  "error",
]);
export type StopReason = z.infer<typeof StopReasonSchema>;

/** A search job: one run of a search for a campaign, paged through one or more chains. */
export const SearchJobSchema = z.object({
  id: z.string(),
  userId: z.string(),
  campaignId: z.string(),
  platform: z.string(),
  mode: SearchModeSchema,
  keywords: z.array(z.string()),
  targetHandle: z.string().nullable(),
  targetResults: z.number().int(),
  status: JobStatusSchema,
  /** Pages committed (the blueprint's `processedRuns`). */
  processedRuns: z.number().int(),
  /** Unique creators found so far that pass the job's filters (derived from stored rows). */
  processedResults: z.number().int(),
  /**
   * Unique creators found that fail the job's filters (derived from stored rows): kept out of
   * results and of `processedResults`; a later page may still admit them (`matchesFilters`).
   */
  filtered: z.number().int(),
  /**
   * Creators an `onlyNew` job found that its campaign's roster already had (from another job):
   * stored, never results, not counted toward the target.
   */
  skippedKnown: z.number().int(),
  /** 0 to 100, following unique creators over the target. */
  progress: z.number(),
  /** Upstream API calls made (each costs credits). */
  apiCalls: z.number().int(),
  /** Committed pages in a row that brought no new creator. */
  dryPages: z.number().int(),
  stopReason: StopReasonSchema.nullable(),
  error: z.string().nullable(),
  /** Platform and filter options the job was started with. */
  options: z.record(z.string(), z.unknown()),
  timeoutAt: z.date(),
  createdAt: z.date(),
  updatedAt: z.date(),
  startedAt: z.date().nullable(),
  completedAt: z.date().nullable(),
});
export type SearchJob = z.infer<typeof SearchJobSchema>;

/** One independent cursor walk of a job (one keyword, or one handle). */
export const SearchChainSchema = z.object({
  jobId: z.string(),
  /** Chain key, unique within the job; safe in queue ids (letters, digits, `-`, `_`). */
  key: z.string(),
  /** What the chain searches (a keyword, a handle). */
  input: z.string(),
  /** Upstream cursor for the next page; `null` before the first page. */
  cursor: z.string().nullable(),
  /** Number of the next step (page) to run, from 0. */
  step: z.number().int(),
  exhausted: z.boolean(),
  leaseOwner: z.string().nullable(),
  leaseExpiresAt: z.date().nullable(),
  updatedAt: z.date(),
});
export type SearchChain = z.infer<typeof SearchChainSchema>;

/** A raw upstream page, stored before it is processed so a redelivery never pays for it twice. */
export interface StoredPage {
  jobId: string;
  chain: string;
  step: number;
  raw: unknown;
  fetchedAt: Date;
}
