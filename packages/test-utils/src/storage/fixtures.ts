import { type Campaign, type Creator, type SearchChain, type SearchJob, computeEngagement } from "@creatorsearch/core";

/** The fixed clock of the suite: every fixture is dated from here. */
export const T0 = new Date("2026-01-01T00:00:00.000Z");
/** `T0 + ms`. */
export const at = (ms: number): Date => new Date(T0.getTime() + ms);

/** A draft keyword campaign of `userId`, created at `T0`. */
export function campaignFixture(id: string, userId: string, extra: Partial<Campaign> = {}): Campaign {
  return {
    id,
    userId,
    name: `Campaign ${id}`,
    description: null,
    searchType: "keyword",
    status: "draft",
    platforms: ["tiktok"],
    createdAt: T0,
    updatedAt: T0,
    archivedAt: null,
    ...extra,
  };
}

/** A pending keyword job of `campaign` (keywords `soup` and `bread`, target 10). */
export function jobFixture(id: string, campaign: Campaign, extra: Partial<SearchJob> = {}): SearchJob {
  return {
    id,
    userId: campaign.userId,
    campaignId: campaign.id,
    platform: "scripted",
    mode: "keyword",
    keywords: ["soup", "bread"],
    targetHandle: null,
    targetResults: 10,
    status: "pending",
    processedRuns: 0,
    processedResults: 0,
    filtered: 0,
    skippedKnown: 0,
    progress: 0,
    apiCalls: 0,
    dryPages: 0,
    stopReason: null,
    error: null,
    options: { region: "US" },
    timeoutAt: at(3_600_000),
    createdAt: T0,
    updatedAt: T0,
    startedAt: null,
    completedAt: null,
    ...extra,
  };
}

/** A chain at step 0, no cursor, no lease. */
export function chainFixture(jobId: string, key: string, input = key): SearchChain {
  return { jobId, key, input, cursor: null, step: 0, exhausted: false, leaseOwner: null, leaseExpiresAt: null, updatedAt: T0 };
}

/** A normalized creator `id` found by `keyword`, with one post `p-<id>-<keyword>`. */
export function creatorFixture(id: string, keyword: string, platform = "scripted"): Creator {
  const post = { id: `p-${id}-${keyword}`, url: null, caption: null, createdAt: null, likes: 10, comments: 1, shares: 0, views: 100, hashtags: [] };
  return {
    platform,
    id,
    handle: id,
    name: null,
    followers: 1000,
    avatarUrl: null,
    profileUrl: null,
    bio: null,
    verified: null,
    emails: [],
    posts: [post],
    hashtags: [],
    matchedKeywords: [keyword],
    engagement: computeEngagement(1000, [post]),
  };
}

/** One creator per id, all found by `keyword`. */
export const creatorsFixture = (keyword: string, ...ids: string[]): Creator[] => ids.map((id) => creatorFixture(id, keyword));
