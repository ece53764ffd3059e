import { z } from "zod";

// ScrapeCreators' own flattened shapes. Only the fields we read are declared.

const ChannelRefSchema = z.object({
  id: z.string().min(1),
  title: z.string().nullish(),
  /** `"sunnypastry"`, or `"channel/UC…"` for a channel without a handle. */
  handle: z.string().nullish(),
  thumbnail: z.string().nullish(),
});

/** A `videos[]` / `shorts[]` item of `/v1/youtube/search`. */
export const YouTubeVideoSchema = z.object({
  id: z.string().min(1),
  url: z.string().nullish(),
  title: z.string().nullish(),
  channel: ChannelRefSchema,
  viewCountInt: z.number().nullish(),
  /** Computed upstream from "3 weeks ago": approximate. */
  publishedTime: z.string().nullish(),
});
export type YouTubeVideo = z.infer<typeof YouTubeVideoSchema>;

/** A `channels[]` item of `/v1/youtube/search`. */
export const YouTubeChannelResultSchema = z.object({
  id: z.string().min(1),
  channelName: z.string().nullish(),
  handle: z.string().nullish(),
  description: z.string().nullish(),
  thumbnail: z.string().nullish(),
  subscriberCountInt: z.number().nullish(),
  badges: z.array(z.string()).nullish(),
});
export type YouTubeChannelResult = z.infer<typeof YouTubeChannelResultSchema>;

/** `GET /v1/youtube/search`: `continuationToken` is absent or `null` on the last page. */
export const YouTubeSearchSchema = z.object({
  videos: z.array(YouTubeVideoSchema).nullish(),
  shorts: z.array(YouTubeVideoSchema).nullish(),
  channels: z.array(YouTubeChannelResultSchema).nullish(),
  continuationToken: z.string().nullish(),
});
export type YouTubeSearch = z.infer<typeof YouTubeSearchSchema>;

/** `GET /v1/youtube/channel` (plus dynamic keys per linked site, ignored). */
export const YouTubeChannelSchema = z.object({
  channelId: z.string().min(1),
  handle: z.string().nullish(),
  name: z.string().nullish(),
  description: z.string().nullish(),
  subscriberCount: z.number().nullish(),
  email: z.string().nullish(),
  /** The channel's links, as URLs. */
  links: z.array(z.string()).nullish(),
  avatar: z
    .object({ image: z.object({ sources: z.array(z.object({ url: z.string(), width: z.number().nullish() })).nullish() }).nullish() })
    .nullish(),
});
export type YouTubeChannel = z.infer<typeof YouTubeChannelSchema>;
