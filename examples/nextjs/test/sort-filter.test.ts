import { describe, expect, it } from "vitest";
import type { ApiCreator } from "../lib/client/api";
import { progressView } from "../lib/client/progress";
import { DEFAULT_STATE, NO_FILTERS, queryOfState, sortAndFilter, stateFromQuery } from "../lib/client/sort-filter";

function card(seq: number, over: { followers?: number | null; emails?: string[]; verified?: boolean | null; views?: number | null; engagement?: number | null; handle?: string; hashtags?: string[] } = {}): ApiCreator {
  return {
    creator: { id: String(seq), handle: over.handle ?? `c${seq}`, name: `C ${seq}`, followers: over.followers === undefined ? 1000 : over.followers, avatarUrl: null, profilePicUrl: null, profileUrl: null, bio: null, verified: over.verified ?? false, emails: over.emails ?? [] },
    video: { description: null, url: null, statistics: { likes: null, comments: null, shares: null, views: over.views ?? null } },
    hashtags: over.hashtags ?? [],
    platform: "tiktok",
    keywords: [],
    engagement: { byFollowers: over.engagement ?? null, byViews: null, sampleSize: 1 },
    postsFound: 1,
    seq,
  };
}

const seqs = (shown: { items: ApiCreator[] }) => shown.items.map((c) => c.seq);

describe("sortAndFilter", () => {
  const cards = [
    card(1, { followers: 500, engagement: 0.02, views: 10 }),
    card(2, { followers: null, emails: ["a@b.example"], views: 900 }),
    card(3, { followers: 9000, verified: true, engagement: 0.1, hashtags: ["SoupTok"] }),
    card(4, { followers: 2000, emails: ["x@y.example"], engagement: 0.05, handle: "soup.queen" }),
  ];

  it("sorts by first found, followers, engagement and views, unknowns last", () => {
    expect(seqs(sortAndFilter(cards, "found", NO_FILTERS))).toEqual([1, 2, 3, 4]);
    expect(seqs(sortAndFilter(cards, "followers", NO_FILTERS))).toEqual([3, 4, 1, 2]);
    expect(seqs(sortAndFilter(cards, "engagement", NO_FILTERS))).toEqual([3, 4, 1, 2]);
    expect(seqs(sortAndFilter(cards, "views", NO_FILTERS))).toEqual([2, 1, 3, 4]);
  });

  it("keeps unknown follower counts under a minimum (counted), and drops them only when asked", () => {
    const kept = sortAndFilter(cards, "found", { ...NO_FILTERS, minFollowers: 1000 });
    expect(seqs(kept)).toEqual([2, 3, 4]);
    expect(kept.unknownKept).toBe(1);
    const hidden = sortAndFilter(cards, "found", { ...NO_FILTERS, minFollowers: 1000, unknownFollowers: false });
    expect(seqs(hidden)).toEqual([3, 4]);
    expect(hidden.unknownKept).toBe(0);
    // No minimum: nobody is "kept because unknown".
    expect(sortAndFilter(cards, "found", NO_FILTERS).unknownKept).toBe(0);
  });

  it("filters by email, verification and text", () => {
    expect(seqs(sortAndFilter(cards, "found", { ...NO_FILTERS, withEmail: true }))).toEqual([2, 4]);
    expect(seqs(sortAndFilter(cards, "found", { ...NO_FILTERS, verifiedOnly: true }))).toEqual([3]);
    expect(seqs(sortAndFilter(cards, "found", { ...NO_FILTERS, text: " soup " }))).toEqual([3, 4]);
  });

  it("does not reorder or change its input", () => {
    const copy = [...cards];
    sortAndFilter(cards, "followers", { ...NO_FILTERS, withEmail: true });
    expect(cards).toEqual(copy);
  });
});

describe("results state in the URL", () => {
  it("round-trips every setting and leaves defaults out", () => {
    expect(queryOfState(DEFAULT_STATE)).toBe("");
    const state = { sort: "engagement" as const, view: "table" as const, filters: { minFollowers: 5000, unknownFollowers: false, withEmail: true, verifiedOnly: true, text: "soup #fall" } };
    const query = queryOfState(state);
    expect(stateFromQuery(new URLSearchParams(query))).toEqual(state);
  });

  it("ignores malformed values", () => {
    expect(stateFromQuery(new URLSearchParams("sort=drop&view=grid&min=-5&email=yes"))).toEqual(DEFAULT_STATE);
    expect(stateFromQuery(new URLSearchParams("min=")).filters.minFollowers).toBeNull();
  });
});

describe("progress wording", () => {
  const job = { status: "completed" as const, stopReason: null, processedResults: 0, targetResults: 1000 };
  it("says when a search overshot, ran dry or is under way", () => {
    expect(progressView({ ...job, processedResults: 1006, stopReason: "target_reached" })).toEqual({ percent: 100, text: "1,000 of 1,000 creators (+6 more from the last page)" });
    expect(progressView({ ...job, processedResults: 248, stopReason: "exhausted" })).toEqual({ percent: 24, text: "248 of 1,000 creators: the search ran out of new results" });
    expect(progressView({ ...job, processedResults: 248, stopReason: "budget_spent" }).text).toMatch(/budget ran out/);
    expect(progressView({ ...job, status: "processing", processedResults: 500 })).toEqual({ percent: 50, text: "500 of 1,000 creators" });
  });
});
