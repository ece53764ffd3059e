import { z } from "zod";

/** One post (video, reel...) of a creator, as found by a search. */
export const CreatorPostSchema = z.object({
  id: z.string(),
  url: z.string().nullable(),
  caption: z.string().nullable(),
  createdAt: z.string().nullable(),
  likes: z.number().nullable(),
  comments: z.number().nullable(),
  shares: z.number().nullable(),
  views: z.number().nullable(),
  hashtags: z.array(z.string()),
});
export type CreatorPost = z.infer<typeof CreatorPostSchema>;

/**
 * Engagement rates over the posts found. `null` where an input is missing (hidden likes,
 * unknown followers), never 0. See `docs/guides/metrics.md` for the formulas.
 */
export const EngagementSchema = z.object({
  /** median(likes + comments) / followers. */
  byFollowers: z.number().nullable(),
  /** mean(likes) / mean(views). */
  byViews: z.number().nullable(),
  /** Number of posts the rates were computed over. */
  sampleSize: z.number().int(),
});
export type Engagement = z.infer<typeof EngagementSchema>;

/**
 * Another account of the same creator, as a platform reported it (a TikTok author's Instagram
 * handle, a YouTube channel's links, an Instagram bio link): `platform` is `"instagram"`,
 * `"tiktok"`, `"youtube"`... or `"web"` for a plain site.
 */
export const CreatorLinkSchema = z.object({
  platform: z.string(),
  handle: z.string().optional(),
  id: z.string().optional(),
  url: z.string().optional(),
});
export type CreatorLink = z.infer<typeof CreatorLinkSchema>;

/** A creator, normalized across platforms: one per creator, not per post. */
export const CreatorSchema = z.object({
  platform: z.string(),
  /** The platform's stable id of the account. */
  id: z.string(),
  handle: z.string(),
  name: z.string().nullable(),
  followers: z.number().nullable(),
  avatarUrl: z.string().nullable(),
  profileUrl: z.string().nullable(),
  bio: z.string().nullable(),
  verified: z.boolean().nullable(),
  /** Email addresses found in the bio, lower-cased and de-duplicated. */
  emails: z.array(z.string()),
  posts: z.array(CreatorPostSchema),
  /** Hashtags over all posts found, de-duplicated, in order of first use. */
  hashtags: z.array(z.string()),
  /** The job's keywords (or handle) that found this creator. */
  matchedKeywords: z.array(z.string()),
  engagement: EngagementSchema,
  /**
   * Other accounts of this creator the platform reported (absent when it reported none, or from
   * an adapter that does not read them).
   */
  links: z.array(CreatorLinkSchema).optional(),
});
export type Creator = z.infer<typeof CreatorSchema>;

/** A creator as stored for a job: the creator plus its position in the job's results. */
export interface JobCreator extends Creator {
  /**
   * Position in the order creators entered the results: increasing and stable (not
   * necessarily consecutive). A creator first excluded by a filter and admitted by a later
   * page takes its position when admitted, so readers paging with `after` never miss it.
   */
  seq: number;
  /** When the job first found this creator (even if a filter admitted it later). */
  firstSeenAt: Date;
}
