import type { Campaign, Creator, JobCreator, SearchChain, SearchJob } from "@creatorsearch/core";

/*
 * Row <-> model mapping shared by both dialects. Drizzle already turns timestamps into Date
 * and JSON columns into values, so rows and models differ only in the creator's layout:
 * the whole normalized creator is kept in `data`, a few fields are lifted into columns so
 * SQL can filter and sort on them.
 */

export interface CampaignRow {
  id: string;
  userId: string;
  name: string;
  description: string | null;
  searchType: string;
  status: string;
  platforms: string[];
  createdAt: Date;
  updatedAt: Date;
  archivedAt: Date | null;
}

export const toCampaign = (row: CampaignRow): Campaign => ({
  ...row,
  searchType: row.searchType as Campaign["searchType"],
  status: row.status as Campaign["status"],
  platforms: [...row.platforms],
});

export interface JobRow extends Omit<SearchJob, "status" | "mode" | "stopReason"> {
  status: string;
  mode: string;
  stopReason: string | null;
}

export const toJob = (row: JobRow): SearchJob => ({
  ...row,
  status: row.status as SearchJob["status"],
  mode: row.mode as SearchJob["mode"],
  stopReason: row.stopReason as SearchJob["stopReason"],
});

export const toChain = (row: SearchChain): SearchChain => ({ ...row, exhausted: Boolean(row.exhausted) });

export interface CreatorRow {
  seq: number;
  jobId: string;
  platform: string;
  creatorId: string;
  handle: string;
  followers: number | null;
  engagementByFollowers: number | null;
  verified: boolean | null;
  matchedKeywords: string[];
  data: Record<string, unknown>;
  firstSeenAt: Date;
  /** Fails the job's filters: stored for later merges, never listed. */
  excluded: boolean;
  /** On the campaign's roster before this `onlyNew` job found it: stored, never listed. */
  known: boolean;
}

/** The columns of a creator row (without `seq`, which the database assigns). */
export function creatorColumns(jobId: string, creator: Creator, firstSeenAt: Date, excluded = false, known = false): Omit<CreatorRow, "seq"> {
  return {
    jobId,
    platform: creator.platform,
    creatorId: creator.id,
    handle: creator.handle,
    followers: creator.followers,
    engagementByFollowers: creator.engagement.byFollowers,
    verified: creator.verified,
    matchedKeywords: creator.matchedKeywords,
    data: creator as unknown as Record<string, unknown>,
    firstSeenAt,
    excluded,
    known,
  };
}

export function toJobCreator(row: Pick<CreatorRow, "seq" | "data" | "firstSeenAt">): JobCreator {
  // `data` was parsed for this row alone, so it becomes the creator in place (a copy of every
  // creator read cost the polls of a busy server more than their query did).
  return Object.assign(row.data as unknown as Creator, { seq: Number(row.seq), firstSeenAt: row.firstSeenAt });
}

/** Copies defined keys of a patch only, so `undefined` never overwrites a column. */
export function definedOnly<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}
