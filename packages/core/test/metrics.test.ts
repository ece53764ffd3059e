import { describe, expect, it } from "vitest";
import { type Creator, type CreatorPost, averageViews, computeEngagement, engagementRateOf, mergeCreator } from "../src/index.js";

const post = (id: string, likes: number | null, comments: number | null, views: number | null): CreatorPost => ({
  id,
  url: null,
  caption: null,
  createdAt: null,
  likes,
  comments,
  shares: null,
  views,
  hashtags: [],
});

describe("computeEngagement", () => {
  it("byFollowers is the median of likes + comments over followers", () => {
    // interactions 110, 220, 10_000 (viral): the median ignores the outlier.
    const posts = [post("a", 100, 10, 1000), post("b", 200, 20, 2000), post("c", 9000, 1000, 90_000)];
    const e = computeEngagement(1000, posts);
    expect(e.byFollowers).toBeCloseTo(220 / 1000);
    expect(e.sampleSize).toBe(3);
  });

  it("byFollowers takes the mean of the two middle values for an even sample", () => {
    expect(computeEngagement(100, [post("a", 10, 0, null), post("b", 30, 0, null)]).byFollowers).toBeCloseTo(0.2);
  });

  it("byViews is mean likes over mean views", () => {
    const e = computeEngagement(null, [post("a", 10, null, 100), post("b", 50, null, 900)]);
    expect(e.byViews).toBeCloseTo(30 / 500);
    expect(e.byFollowers).toBeNull();
    expect(e.sampleSize).toBe(2);
  });

  it.each([
    ["no followers known", null, [post("a", 10, 1, 100)], { byFollowers: null }],
    ["zero followers", 0, [post("a", 10, 1, 100)], { byFollowers: null }],
    ["hidden likes", 1000, [post("a", null, 5, 100)], { byFollowers: null, byViews: null }],
    ["hidden comments", 1000, [post("a", 10, null, 100)], { byFollowers: null }],
    ["no views", 1000, [post("a", 10, 1, null)], { byViews: null }],
    ["zero views", 1000, [post("a", 10, 1, 0)], { byViews: null }],
    ["no posts", 1000, [], { byFollowers: null, byViews: null, sampleSize: 0 }],
  ])("is null, never 0, with %s", (_name, followers, posts, expected) => {
    expect(computeEngagement(followers, posts)).toMatchObject(expected);
  });

  it("is a real 0 when posts really got no likes", () => {
    expect(computeEngagement(1000, [post("a", 0, 0, 500)])).toEqual({ byFollowers: 0, byViews: 0, sampleSize: 1 });
  });

  it("counts each rate over the posts where its inputs are known", () => {
    const e = computeEngagement(100, [post("a", 10, 0, null), post("b", 20, 0, 200), post("c", null, null, 50)]);
    expect(e.byFollowers).toBeCloseTo(15 / 100);
    expect(e.byViews).toBeCloseTo(20 / 200);
    expect(e.sampleSize).toBe(2);
  });
});

describe("averageViews and engagementRateOf", () => {
  it("averages known views only, null when none is known", () => {
    expect(averageViews([post("a", 1, 1, 100), post("b", 1, 1, null), post("c", 1, 1, 300)])).toBe(200);
    expect(averageViews([post("a", 1, 1, null)])).toBeNull();
  });

  it("prefers byFollowers, falls back to byViews, else null", () => {
    expect(engagementRateOf({ byFollowers: 0.05, byViews: 0.1, sampleSize: 1 })).toBe(0.05);
    expect(engagementRateOf({ byFollowers: null, byViews: 0.1, sampleSize: 1 })).toBe(0.1);
    expect(engagementRateOf({ byFollowers: null, byViews: null, sampleSize: 0 })).toBeNull();
  });
});

describe("mergeCreator recomputes engagement over all posts found", () => {
  const base = (posts: CreatorPost[], followers: number | null): Creator => ({
    platform: "tiktok",
    id: "1",
    handle: "h",
    name: null,
    followers,
    avatarUrl: null,
    profileUrl: null,
    bio: null,
    verified: null,
    emails: [],
    posts,
    hashtags: [],
    matchedKeywords: ["k"],
    engagement: computeEngagement(followers, posts),
  });

  it("adds the later page's posts (once) and its follower count", () => {
    const merged = mergeCreator(base([post("a", 10, 0, 100)], null), base([post("a", 10, 0, 100), post("b", 30, 0, 300)], 100));
    expect(merged.posts.map((p) => p.id)).toEqual(["a", "b"]);
    expect(merged.engagement).toEqual({ byFollowers: 0.2, byViews: 0.1, sampleSize: 2 });
  });
});
