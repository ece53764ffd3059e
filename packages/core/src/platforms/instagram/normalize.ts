import type { Creator, CreatorPost } from "../../model/creator.js";
import { mergeById } from "../../model/merge.js";
import { computeEngagement, extractEmails, unique } from "../../model/metrics.js";
import { hashtagsIn } from "../hashtags.js";
import { linksOfUrls } from "../links.js";
import type { InstagramReel, InstagramRelatedNode, InstagramTimelineNode, InstagramUser } from "./schema.js";

/** `https://www.instagram.com/<handle>/`. */
export const instagramProfileUrl = (handle: string) => `https://www.instagram.com/${handle}/`;

function postOfNode(node: InstagramTimelineNode, hideCounts: boolean): CreatorPost {
  const caption = node.edge_media_to_caption?.edges?.[0]?.node.text ?? null;
  const kind = node.product_type === "clips" ? "reel" : "p";
  return {
    id: node.id,
    url: node.shortcode ? `https://www.instagram.com/${kind}/${node.shortcode}/` : null,
    caption: caption || null,
    createdAt: node.taken_at_timestamp ? new Date(node.taken_at_timestamp * 1000).toISOString() : null,
    // Hidden like counts come back as 0 or -1: unknown, not zero.
    likes: hideCounts ? null : (node.edge_liked_by?.count ?? null),
    comments: node.edge_media_to_comment?.count ?? null,
    shares: null,
    views: hideCounts ? null : (node.video_view_count ?? null),
    hashtags: hashtagsIn(caption),
  };
}

/** A full profile (`/v1/instagram/profile`'s `data.user`) as a creator with its recent posts. */
export function creatorOfUser(user: InstagramUser, matched: string): Creator {
  const followers = user.edge_followed_by?.count ?? user.follower_count ?? null;
  const posts = (user.edge_owner_to_timeline_media?.edges ?? []).map((e) => postOfNode(e.node, user.hide_like_and_view_counts === true));
  return {
    platform: "instagram",
    id: user.id,
    handle: user.username,
    name: user.full_name || null,
    followers,
    avatarUrl: user.profile_pic_url_hd || user.profile_pic_url || null,
    profileUrl: instagramProfileUrl(user.username),
    bio: user.biography || null,
    verified: user.is_verified ?? null,
    emails: unique([...extractEmails(user.biography), ...extractEmails(user.business_email)]),
    posts,
    hashtags: unique(posts.flatMap((p) => p.hashtags)),
    matchedKeywords: [matched],
    engagement: computeEngagement(followers, posts),
    links: linksOfUrls([user.external_url, ...(user.bio_links ?? []).map((l) => l.url)]),
  };
}

/** A related-profile node as a creator: identity only (the node carries no counts). */
export function creatorOfRelated(node: InstagramRelatedNode, matched: string): Creator {
  return {
    platform: "instagram",
    id: node.id,
    handle: node.username,
    name: node.full_name || null,
    followers: null,
    avatarUrl: node.profile_pic_url || null,
    profileUrl: instagramProfileUrl(node.username),
    bio: null,
    verified: node.is_verified ?? null,
    emails: [],
    posts: [],
    hashtags: [],
    matchedKeywords: [matched],
    engagement: computeEngagement(null, []),
  };
}

/** A reel's owner as a creator with that reel as a post. */
export function creatorOfReel(reel: InstagramReel, keyword: string): Creator {
  const { owner } = reel;
  const followers = owner.follower_count ?? null;
  const post: CreatorPost = {
    id: reel.id,
    url: reel.url ?? (reel.shortcode ? `https://www.instagram.com/reel/${reel.shortcode}/` : null),
    caption: reel.caption || null,
    createdAt: reel.taken_at ?? null,
    likes: reel.like_count ?? null,
    comments: reel.comment_count ?? null,
    shares: null,
    // Plays, as Instagram shows them on reels; the older view count when plays are absent.
    views: reel.video_play_count ?? reel.video_view_count ?? null,
    hashtags: hashtagsIn(reel.caption),
  };
  return {
    platform: "instagram",
    id: owner.id,
    handle: owner.username,
    name: owner.full_name || null,
    followers,
    avatarUrl: owner.profile_pic_url || null,
    profileUrl: instagramProfileUrl(owner.username),
    bio: null,
    verified: owner.is_verified ?? null,
    emails: [],
    posts: [post],
    hashtags: post.hashtags,
    matchedKeywords: [keyword],
    engagement: computeEngagement(followers, [post]),
  };
}

/** Reels -> their owners, one creator per owner (reels of one owner merged). */
export function creatorsOfReels(reels: readonly InstagramReel[], keyword: string): Creator[] {
  return mergeById(reels.map((r) => creatorOfReel(r, keyword)));
}
