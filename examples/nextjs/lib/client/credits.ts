import type { Platform } from "./api";

/**
 * Rough credit estimates for the search forms. One ScrapeCreators call is one credit (a cached
 * profile answer costs none upstream but still counts against the job's budget here).
 *
 * The rates are what the sandbox gives (`pnpm creatorsearch sandbox`): unique creators per
 * results page, and profile lookups per creator with enrichment on. Real searches vary with the
 * keywords, so the form says "about".
 */
const CREATORS_PER_PAGE: Record<SearchKind, number> = { tiktok: 11, youtube: 10, instagram: 9, similar: 7 };
// YouTube looks a channel up once per page it appears on, so repeat channels cost again.
const LOOKUPS_PER_CREATOR: Record<SearchKind, number> = { tiktok: 0.75, youtube: 1.9, instagram: 0, similar: 1 };
/** What enrichment fills in, per kind of search (`null`: nothing to fill in). */
const FILLS: Record<SearchKind, string | null> = {
  tiktok: "bio, verification and emails (follower counts come with the search)",
  youtube: "subscriber counts (the search returns them for very few channels)",
  instagram: null,
  similar: "followers, bio, emails and recent posts of each related account (Instagram lists them without numbers)",
};

/** The SDK's default API-call budget per job (`limits.maxApiCallsPerJob`; this app keeps it). */
export const JOB_BUDGET = 500;

export type SearchKind = Platform | "similar";

export interface CreditEstimate {
  /** What enrichment adds for this kind of search, or `null` when it adds nothing. */
  fills: string | null;
  searchCalls: number;
  enrichCalls: number;
  total: number;
  /** Whether the budget stops the search (or its lookups) before `target` creators. */
  capped: boolean;
}

export function estimateCredits(kind: SearchKind, target: number, enrich: boolean, keywords = 1): CreditEstimate {
  const fills = FILLS[kind];
  const searchCalls = Math.max(keywords, Math.ceil(target / CREATORS_PER_PAGE[kind]));
  const enrichCalls = enrich && fills ? Math.ceil(target * LOOKUPS_PER_CREATOR[kind]) : 0;
  const wanted = searchCalls + enrichCalls;
  return { fills, searchCalls, enrichCalls, total: Math.min(JOB_BUDGET, wanted), capped: wanted > JOB_BUDGET };
}
