import { z } from "zod";
import type { Creator } from "./creator.js";
import { averageViews, engagementRateOf } from "./metrics.js";

const DAY_MS = 24 * 60 * 60 * 1000;

const count = () =>
  z.number({ error: "must be a number" }).int("must be a whole number").min(0, "must be at least 0");

/**
 * What a creator must satisfy to count as a result of a job. Every filter is optional; a
 * creator passes when it satisfies all that are set.
 *
 * A value a filter needs but the platform did not give (hidden follower count, no view counts,
 * no bio) fails that filter: an unknown cannot be shown to satisfy it. See {@link matchesFilters}
 * for when the decision is taken.
 */
export const CreatorFiltersObject = z.object({
    /** At least this many followers. */
    minFollowers: count().optional(),
    /** At most this many followers. */
    maxFollowers: count().optional(),
    /** Only accounts the platform marks as verified. */
    verifiedOnly: z.boolean({ error: "must be true or false" }).optional(),
    /** Only creators with at least one email address (from the bio or a business email). */
    hasEmail: z.boolean({ error: "must be true or false" }).optional(),
    /**
     * At least this engagement rate, as a fraction (0.03 = 3 %): `engagement.byFollowers`
     * where known, else `engagement.byViews`.
     */
    minEngagementRate: z
      .number({ error: "must be a number" })
      .min(0, "must be at least 0")
      .max(10, "must be a fraction such as 0.03 for 3 % (at most 10)")
      .optional(),
    /** At least this many views per post, on average over the posts found with a view count. */
    minAvgViews: count().optional(),
    /** At least one post found that is at most this many days old. */
    postedWithinDays: z
      .number({ error: "must be a number" })
      .int("must be a whole number of days")
      .min(1, "must be at least 1")
      .max(3650, "must be at most 3650")
      .optional(),
});

/** Cross-field rules of the filters (e.g. `minFollowers <= maxFollowers`), as zod issues. */
export function checkFilterRanges(f: Pick<CreatorFilters, "minFollowers" | "maxFollowers">, ctx: z.RefinementCtx): void {
  if (f.minFollowers !== undefined && f.maxFollowers !== undefined && f.minFollowers > f.maxFollowers) {
    ctx.addIssue({ code: "custom", path: ["maxFollowers"], message: `must be at least minFollowers (${f.minFollowers})` });
  }
}

/** The filters on their own (unknown keys refused), e.g. to validate a saved filter preset. */
export const CreatorFiltersSchema = CreatorFiltersObject.strict().superRefine(checkFilterRanges);
export type CreatorFilters = z.infer<typeof CreatorFiltersObject>;

/** Names of the filter options, in the order they are documented. */
export const FILTER_KEYS = [
  "minFollowers",
  "maxFollowers",
  "verifiedOnly",
  "hasEmail",
  "minEngagementRate",
  "minAvgViews",
  "postedWithinDays",
] as const satisfies readonly (keyof CreatorFilters)[];

/** True when at least one filter is set (`verifiedOnly: false` and `hasEmail: false` set nothing). */
export function hasFilters(filters: CreatorFilters | null | undefined): boolean {
  if (!filters) return false;
  return FILTER_KEYS.some((key) => {
    const value = filters[key];
    return typeof value === "boolean" ? value : value !== undefined;
  });
}

/**
 * The filters a creator fails (empty when it passes), for logs and tests.
 * `now` anchors `postedWithinDays`.
 */
export function failedFilters(creator: Creator, filters: CreatorFilters, now: Date): (keyof CreatorFilters)[] {
  const failed: (keyof CreatorFilters)[] = [];
  const followers = creator.followers;
  if (filters.minFollowers !== undefined && (followers === null || followers < filters.minFollowers)) {
    failed.push("minFollowers");
  }
  if (filters.maxFollowers !== undefined && (followers === null || followers > filters.maxFollowers)) {
    failed.push("maxFollowers");
  }
  if (filters.verifiedOnly && creator.verified !== true) failed.push("verifiedOnly");
  if (filters.hasEmail && creator.emails.length === 0) failed.push("hasEmail");
  if (filters.minEngagementRate !== undefined) {
    const rate = engagementRateOf(creator.engagement);
    if (rate === null || rate < filters.minEngagementRate) failed.push("minEngagementRate");
  }
  if (filters.minAvgViews !== undefined) {
    const views = averageViews(creator.posts);
    if (views === null || views < filters.minAvgViews) failed.push("minAvgViews");
  }
  if (filters.postedWithinDays !== undefined) {
    const since = now.getTime() - filters.postedWithinDays * DAY_MS;
    const recent = creator.posts.some((p) => p.createdAt !== null && Date.parse(p.createdAt) >= since);
    if (!recent) failed.push("postedWithinDays");
  }
  return failed;
}

/**
 * True when the creator satisfies every filter set.
 *
 * When it is decided: a creator's record grows as later pages find more of its posts (and
 * enrichment fills in bio, followers, verification), so its metrics can change. Storage
 * decides on the **merged** record each time a page that holds the creator commits:
 * - a creator that fails is still stored, excluded from results and counted in
 *   `job.filtered`, so a later page can merge into it and **admit** it once it passes;
 * - admission is final: a creator already in the results stays there even if a later page
 *   lowers its rate, so `processedResults` never goes down and readers never see a result
 *   vanish.
 */
export function matchesFilters(creator: Creator, filters: CreatorFilters, now: Date): boolean {
  return failedFilters(creator, filters, now).length === 0;
}
