import { z } from "zod";

// Only the fields we read are declared; everything else passes through untouched.
const count = z.number().nullish();
const urlList = z.object({ url_list: z.array(z.string()).nullish() }).nullish();

export const TikTokAuthorSchema = z.object({
  uid: z.string().nullish(),
  unique_id: z.string().min(1),
  nickname: z.string().nullish(),
  sec_uid: z.string().nullish(),
  signature: z.string().nullish(),
  follower_count: count,
  custom_verify: z.string().nullish(),
  enterprise_verify_reason: z.string().nullish(),
  avatar_thumb: urlList,
  avatar_medium: urlList,
  avatar_168x168: urlList,
  avatar_300x300: urlList,
  avatar_larger: urlList,
  /** The Instagram handle the author linked. */
  ins_id: z.string().nullish(),
  youtube_channel_id: z.string().nullish(),
  youtube_channel_title: z.string().nullish(),
});

export const TikTokAwemeSchema = z.object({
  aweme_id: z.string().min(1),
  desc: z.string().nullish(),
  create_time: z.number().nullish(),
  share_url: z.string().nullish(),
  url: z.string().nullish(),
  author: TikTokAuthorSchema,
  statistics: z
    .object({ play_count: count, digg_count: count, comment_count: count, share_count: count })
    .nullish(),
  text_extra: z
    .array(z.object({ type: z.number().nullish(), hashtag_name: z.string().nullish() }))
    .nullish(),
});
export type TikTokAweme = z.infer<typeof TikTokAwemeSchema>;

/**
 * An item of `search_item_list`: `{ aweme_info }`, or the aweme itself when `trim=true`.
 * Unwrapped before validation (not a union) so a shape error names the exact field.
 */
const SearchItemSchema = z.preprocess(
  (item) => (item && typeof item === "object" && "aweme_info" in item ? (item as { aweme_info: unknown }).aweme_info : item),
  TikTokAwemeSchema,
);

/** `GET /v1/tiktok/search/keyword`. */
export const TikTokKeywordSearchSchema = z.object({
  search_item_list: z.array(SearchItemSchema).nullish(),
  cursor: z.number().nullish(),
  has_more: z.union([z.number(), z.boolean()]).nullish(),
});
export type TikTokKeywordSearch = z.infer<typeof TikTokKeywordSearchSchema>;
