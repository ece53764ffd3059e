import type { Creator, CreatorLink, CreatorPost } from "../../model/creator.js";
import { mergeById } from "../../model/merge.js";
import { computeEngagement, extractEmails, unique } from "../../model/metrics.js";
import type { PlatformPage } from "../types.js";
import type { TikTokAweme, TikTokKeywordSearch } from "./schema.js";

const HEIC = /\.heic(?:$|[?#])/i;

/** The first avatar URL a browser can show: `.heic` variants come first on some items. */
export function pickAvatar(author: TikTokAweme["author"]): string | null {
  const lists = [author.avatar_medium, author.avatar_larger, author.avatar_300x300, author.avatar_168x168, author.avatar_thumb];
  for (const list of lists) {
    const url = list?.url_list?.find((u) => u && !HEIC.test(u));
    if (url) return url;
  }
  return null;
}

/** `share_url` without its tracking query string. */
export function cleanShareUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  const q = url.search(/[?#]/);
  return q === -1 ? url : url.slice(0, q);
}

/** Search results carry no boolean: a non-empty `custom_verify` marks a verified account. */
function verifiedOf(author: TikTokAweme["author"]): boolean | null {
  if (author.custom_verify == null && author.enterprise_verify_reason == null) return null;
  return Boolean(author.custom_verify || author.enterprise_verify_reason);
}

/** One video's post record. */
export function toPost(aweme: TikTokAweme): CreatorPost {
  const stats = aweme.statistics;
  return {
    id: aweme.aweme_id,
    url: cleanShareUrl(aweme.share_url) ?? aweme.url ?? `https://www.tiktok.com/@${aweme.author.unique_id}/video/${aweme.aweme_id}`,
    caption: aweme.desc || null,
    createdAt: aweme.create_time ? new Date(aweme.create_time * 1000).toISOString() : null,
    likes: stats?.digg_count ?? null,
    comments: stats?.comment_count ?? null,
    shares: stats?.share_count ?? null,
    views: stats?.play_count ?? null,
    hashtags: unique(
      (aweme.text_extra ?? [])
        .filter((t) => t.type === 1 && t.hashtag_name)
        .map((t) => t.hashtag_name!.toLowerCase()),
    ),
  };
}

/** One video -> its author as a creator with that one post. */
export function toCreator(aweme: TikTokAweme, keyword: string): Creator {
  const a = aweme.author;
  const post = toPost(aweme);
  const followers = a.follower_count ?? null;
  return {
    platform: "tiktok",
    id: a.uid || a.sec_uid || a.unique_id,
    handle: a.unique_id,
    name: a.nickname || null,
    followers,
    avatarUrl: pickAvatar(a),
    profileUrl: `https://www.tiktok.com/@${a.unique_id}`,
    bio: a.signature || null,
    verified: verifiedOf(a),
    emails: extractEmails(a.signature),
    posts: [post],
    hashtags: post.hashtags,
    matchedKeywords: [keyword],
    engagement: computeEngagement(followers, [post]),
    links: linksOfAuthor(a),
  };
}

/** The accounts a TikTok author linked: an Instagram handle and a YouTube channel. */
export function linksOfAuthor(a: TikTokAweme["author"]): CreatorLink[] {
  const links: CreatorLink[] = [];
  const instagram = a.ins_id?.trim().replace(/^@+/, "");
  if (instagram) links.push({ platform: "instagram", handle: instagram, url: `https://www.instagram.com/${instagram}/` });
  const channel = a.youtube_channel_id?.trim();
  if (channel) links.push({ platform: "youtube", id: channel, url: `https://www.youtube.com/channel/${channel}` });
  return links;
}

/**
 * A keyword-search page -> creators (videos of one author merged) and the next cursor.
 * `has_more` is 0/1 (sometimes absent); the last page has `cursor: null`.
 */
export function normalizeKeywordPage(page: TikTokKeywordSearch, keyword: string): PlatformPage {
  const items = page.search_item_list ?? [];
  const creators = mergeById(items.map((a) => toCreator(a, keyword)));
  const more = page.has_more == null ? true : Boolean(Number(page.has_more));
  const hasMore = more && page.cursor != null && items.length > 0;
  return { creators, nextCursor: hasMore ? String(page.cursor) : null, hasMore };
}
