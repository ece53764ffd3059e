import type { CreatorPost, Engagement } from "./creator.js";

// Kept here for the normalizers that import them from this module.
export { extractEmails } from "./emails.js";
export { unique } from "./unique.js";

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

/**
 * Engagement over the posts found (formulas and how they compare with Modash, HypeAuditor
 * and Upfluence: `docs/guides/metrics.md`):
 * - `byFollowers` = median(likes + comments) / followers, over posts where both counts are
 *   known. The median keeps one viral post from lifting the rate of a whole account.
 * - `byViews` = mean(likes) / mean(views), over posts where likes and views are known and views > 0.
 * - `sampleSize` = posts the larger of the two samples holds.
 *
 * A rate is `null` when an input is missing (hidden likes, unknown or zero followers, no
 * views), never 0: 0 would claim "nobody engages", which nothing measured.
 */
export function computeEngagement(followers: number | null, posts: readonly CreatorPost[]): Engagement {
  const interactions = posts
    .filter((p) => p.likes !== null && p.comments !== null)
    .map((p) => p.likes! + p.comments!);
  const withViews = posts.filter((p) => p.likes !== null && p.views !== null && p.views > 0);
  const byFollowers = followers && followers > 0 && interactions.length > 0 ? median(interactions) / followers : null;
  const byViews =
    withViews.length > 0 ? mean(withViews.map((p) => p.likes!)) / mean(withViews.map((p) => p.views!)) : null;
  return { byFollowers, byViews, sampleSize: Math.max(interactions.length, withViews.length) };
}

/** Mean views over the posts whose view count is known, or `null` when none is. */
export function averageViews(posts: readonly CreatorPost[]): number | null {
  const views = posts.filter((p) => p.views !== null).map((p) => p.views!);
  return views.length ? mean(views) : null;
}

/**
 * The one rate to rank or filter by: `byFollowers` where known, else `byViews` (video
 * platforms hide follower counts of some results), else `null`.
 */
export function engagementRateOf(engagement: Engagement): number | null {
  return engagement.byFollowers ?? engagement.byViews;
}
