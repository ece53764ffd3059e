import type { CreatorPost, Engagement } from "./creator.js";

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function mean(values: number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

/**
 * Engagement over the posts found:
 * `byFollowers` = median(likes + comments) / followers (HypeAuditor-style, median for robustness),
 * `byViews` = mean(likes) / mean(views) (Modash-style for video platforms).
 * A rate is `null` when an input is missing, never 0.
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

// Deliberately simple: good enough for bios, never backtracks catastrophically.
const EMAIL = /[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,24}/gi;

/** Email addresses in free text, lower-cased and de-duplicated, in order of appearance. */
export function extractEmails(text: string | null | undefined): string[] {
  if (!text) return [];
  return unique((text.match(EMAIL) ?? []).map((e) => e.toLowerCase().replace(/\.+$/, "")));
}

/** De-duplicates, keeping the first occurrence. */
export function unique<T>(values: Iterable<T>): T[] {
  return [...new Set(values)];
}
