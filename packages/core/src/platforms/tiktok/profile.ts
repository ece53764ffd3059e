import { z } from "zod";
import type { Creator } from "../../model/creator.js";
import { emailsOf } from "../../model/emails.js";
import { computeEngagement } from "../../model/metrics.js";

/** `GET /v1/tiktok/profile` (only the fields enrichment reads). */
export const TikTokProfileSchema = z.object({
  user: z.object({
    uniqueId: z.string().min(1),
    nickname: z.string().nullish(),
    signature: z.string().nullish(),
    verified: z.boolean().nullish(),
  }),
  stats: z.object({ followerCount: z.number().nullish() }).nullish(),
});
export type TikTokProfile = z.infer<typeof TikTokProfileSchema>;

/**
 * True when a search result lacks what a profile lookup adds: search items rarely carry the
 * bio (`signature`) and carry no verification flag at all for most accounts.
 */
export function needsProfile(creator: Creator): boolean {
  return creator.bio === null || creator.verified === null;
}

/**
 * A creator with its profile's bio, verification and follower count. The profile is the
 * account's own page, so it wins over what the search item said; emails are re-read from it.
 */
export function enrichWithProfile(creator: Creator, profile: TikTokProfile): Creator {
  const followers = profile.stats?.followerCount ?? creator.followers;
  const bio = profile.user.signature || creator.bio;
  return {
    ...creator,
    name: creator.name ?? profile.user.nickname ?? null,
    bio,
    verified: profile.user.verified ?? creator.verified,
    followers,
    emails: emailsOf(...creator.emails, bio),
    engagement: computeEngagement(followers, creator.posts),
  };
}
