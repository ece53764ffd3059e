import { z } from "zod";

// Only the fields we read are declared; everything else passes through untouched.
const count = z.number().nullish();
const edgeCount = z.object({ count: count }).nullish();

/** A node of `edge_related_profiles`: six fields, no follower count. */
export const InstagramRelatedNodeSchema = z.object({
  id: z.string().min(1),
  username: z.string().min(1),
  full_name: z.string().nullish(),
  is_verified: z.boolean().nullish(),
  is_private: z.boolean().nullish(),
  profile_pic_url: z.string().nullish(),
});
export type InstagramRelatedNode = z.infer<typeof InstagramRelatedNodeSchema>;

/** A recent post of `edge_owner_to_timeline_media`. */
export const InstagramTimelineNodeSchema = z.object({
  id: z.string().min(1),
  shortcode: z.string().nullish(),
  is_video: z.boolean().nullish(),
  product_type: z.string().nullish(),
  taken_at_timestamp: z.number().nullish(),
  video_view_count: count,
  edge_liked_by: edgeCount,
  edge_media_to_comment: edgeCount,
  edge_media_to_caption: z
    .object({ edges: z.array(z.object({ node: z.object({ text: z.string().nullish() }) })).nullish() })
    .nullish(),
});
export type InstagramTimelineNode = z.infer<typeof InstagramTimelineNodeSchema>;

/** `data.user` of `/v1/instagram/profile`. */
export const InstagramUserSchema = z.object({
  id: z.string().min(1),
  username: z.string().min(1),
  full_name: z.string().nullish(),
  biography: z.string().nullish(),
  edge_followed_by: edgeCount,
  follower_count: count,
  is_verified: z.boolean().nullish(),
  is_private: z.boolean().nullish(),
  business_email: z.string().nullish(),
  external_url: z.string().nullish(),
  bio_links: z.array(z.object({ url: z.string().nullish() })).nullish(),
  hide_like_and_view_counts: z.boolean().nullish(),
  profile_pic_url: z.string().nullish(),
  profile_pic_url_hd: z.string().nullish(),
  edge_owner_to_timeline_media: z
    .object({ edges: z.array(z.object({ node: InstagramTimelineNodeSchema })).nullish() })
    .nullish(),
  // Not returned for every account ("we are at their mercy", the docs say).
  edge_related_profiles: z
    .object({ edges: z.array(z.object({ node: InstagramRelatedNodeSchema })).nullish() })
    .nullish(),
});
export type InstagramUser = z.infer<typeof InstagramUserSchema>;

/** `GET /v1/instagram/profile`. An unknown handle answers 200 with `data.user: null` (and is billed). */
export const InstagramProfileSchema = z.object({
  data: z.object({ user: InstagramUserSchema.nullable() }),
});
export type InstagramProfile = z.infer<typeof InstagramProfileSchema>;

/** A reel of `/v2/instagram/reels/search`; `caption` is a string and `taken_at` ISO here. */
export const InstagramReelSchema = z.object({
  id: z.string().min(1),
  shortcode: z.string().nullish(),
  url: z.string().nullish(),
  caption: z.string().nullish(),
  taken_at: z.string().nullish(),
  video_view_count: count,
  video_play_count: count,
  like_count: count,
  comment_count: count,
  owner: z.object({
    id: z.string().min(1),
    username: z.string().min(1),
    full_name: z.string().nullish(),
    is_verified: z.boolean().nullish(),
    is_private: z.boolean().nullish(),
    follower_count: count,
    profile_pic_url: z.string().nullish(),
  }),
});
export type InstagramReel = z.infer<typeof InstagramReelSchema>;

/** `GET /v2/instagram/reels/search`: no cursor, callers increment `page` (1 to 11). */
export const InstagramReelsSearchSchema = z.object({
  reels: z.array(InstagramReelSchema).nullish(),
});
export type InstagramReelsSearch = z.infer<typeof InstagramReelsSearchSchema>;
