import type { Creator, CreatorPost } from "../../model/creator.js";
import { mergeById } from "../../model/merge.js";
import { computeEngagement, extractEmails, unique } from "../../model/metrics.js";
import { hashtagsIn, toHttps } from "../hashtags.js";
import { linksOfUrls } from "../links.js";
import type { YouTubeChannel, YouTubeChannelResult, YouTubeSearch, YouTubeVideo } from "./schema.js";

/** A channel's handle without `@`; channels without one (`"channel/UC…"`) use their id. */
function handleOf(handle: string | null | undefined, channelId: string): string {
  if (!handle || handle.startsWith("channel/")) return channelId;
  return handle.replace(/^@/, "");
}

function profileUrlOf(handle: string | null | undefined, channelId: string): string {
  return !handle || handle.startsWith("channel/")
    ? `https://www.youtube.com/channel/${channelId}`
    : `https://www.youtube.com/@${handle.replace(/^@/, "")}`;
}

function creatorOfVideo(video: YouTubeVideo, keyword: string): Creator {
  const { channel } = video;
  const post: CreatorPost = {
    id: video.id,
    url: video.url ?? `https://www.youtube.com/watch?v=${video.id}`,
    caption: video.title || null,
    createdAt: video.publishedTime ?? null,
    // Search results carry views only; likes and comments need a video call.
    likes: null,
    comments: null,
    shares: null,
    views: video.viewCountInt ?? null,
    hashtags: hashtagsIn(video.title),
  };
  return {
    platform: "youtube",
    id: channel.id,
    handle: handleOf(channel.handle, channel.id),
    name: channel.title || null,
    followers: null,
    avatarUrl: toHttps(channel.thumbnail),
    profileUrl: profileUrlOf(channel.handle, channel.id),
    bio: null,
    verified: null,
    emails: [],
    posts: [post],
    hashtags: post.hashtags,
    matchedKeywords: [keyword],
    engagement: computeEngagement(null, [post]),
  };
}

function creatorOfChannelResult(channel: YouTubeChannelResult, keyword: string): Creator {
  const followers = channel.subscriberCountInt ?? null;
  return {
    platform: "youtube",
    id: channel.id,
    handle: handleOf(channel.handle, channel.id),
    name: channel.channelName || null,
    followers,
    avatarUrl: toHttps(channel.thumbnail),
    profileUrl: profileUrlOf(channel.handle, channel.id),
    bio: channel.description || null,
    verified: channel.badges ? channel.badges.includes("Verified") : null,
    emails: extractEmails(channel.description),
    posts: [],
    hashtags: [],
    matchedKeywords: [keyword],
    engagement: computeEngagement(followers, []),
  };
}

/** A search page -> one creator per channel (its videos and shorts as posts). */
export function creatorsOfSearch(page: YouTubeSearch, keyword: string): Creator[] {
  return mergeById([
    ...(page.channels ?? []).map((c) => creatorOfChannelResult(c, keyword)),
    ...(page.videos ?? []).map((v) => creatorOfVideo(v, keyword)),
    ...(page.shorts ?? []).map((v) => creatorOfVideo(v, keyword)),
  ]);
}

/** Fills in what a `/v1/youtube/channel` answer adds: subscribers, description, email. */
export function enrichWithChannel(creator: Creator, channel: YouTubeChannel): Creator {
  const followers = channel.subscriberCount ?? creator.followers;
  const bio = creator.bio ?? (channel.description || null);
  const sources = channel.avatar?.image?.sources ?? [];
  const largest = sources.reduce<(typeof sources)[number] | undefined>((best, s) => ((s.width ?? 0) > (best?.width ?? -1) ? s : best), undefined);
  return {
    ...creator,
    followers,
    bio,
    avatarUrl: creator.avatarUrl ?? toHttps(largest?.url),
    emails: unique([...creator.emails, ...extractEmails(channel.description), ...extractEmails(channel.email)]),
    engagement: computeEngagement(followers, creator.posts),
    ...(channel.links?.length ? { links: [...(creator.links ?? []), ...linksOfUrls(channel.links)] } : {}),
  };
}
