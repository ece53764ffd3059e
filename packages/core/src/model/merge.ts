import type { Creator } from "./creator.js";
import { computeEngagement } from "./metrics.js";
import { unique } from "./unique.js";

/** Most posts kept per creator; enough for stable engagement figures, small enough for a row. */
export const MAX_POSTS_PER_CREATOR = 30;

/**
 * Merges what a later page found about a creator into what is known already. The earlier
 * record wins for identity; counts take the newest non-null value; posts, hashtags, emails and
 * matched keywords are unioned (posts de-duplicated by id). Engagement is recomputed.
 * Pure and deterministic, so replaying the same page gives the same row.
 */
export function mergeCreator(existing: Creator, incoming: Creator): Creator {
  const postIds = new Set(existing.posts.map((p) => p.id));
  const posts = [...existing.posts, ...incoming.posts.filter((p) => !postIds.has(p.id))].slice(
    0,
    MAX_POSTS_PER_CREATOR,
  );
  const followers = incoming.followers ?? existing.followers;
  return {
    ...existing,
    name: existing.name ?? incoming.name,
    followers,
    avatarUrl: existing.avatarUrl ?? incoming.avatarUrl,
    profileUrl: existing.profileUrl ?? incoming.profileUrl,
    bio: existing.bio ?? incoming.bio,
    verified: existing.verified === true || incoming.verified === true ? true : (existing.verified ?? incoming.verified),
    emails: unique([...existing.emails, ...incoming.emails]),
    posts,
    hashtags: unique([...existing.hashtags, ...incoming.hashtags]),
    matchedKeywords: unique([...existing.matchedKeywords, ...incoming.matchedKeywords]),
    engagement: computeEngagement(followers, posts),
    ...mergedLinks(existing.links, incoming.links),
  };
}

/** Links of both records, de-duplicated (absent when neither has any). */
function mergedLinks(a: Creator["links"], b: Creator["links"]): Pick<Creator, "links"> {
  if (!a?.length && !b?.length) return a || b ? { links: [] } : {};
  const seen = new Set<string>();
  const links: NonNullable<Creator["links"]> = [];
  for (const link of [...(a ?? []), ...(b ?? [])]) {
    const key = JSON.stringify([link.platform, link.handle?.toLowerCase(), link.id, link.url]);
    if (seen.has(key)) continue;
    seen.add(key);
    links.push(link);
  }
  return { links };
}

/** Merges creators that share an id (e.g. many videos of one author on one page), keeping order. */
export function mergeById(creators: readonly Creator[]): Creator[] {
  const byId = new Map<string, Creator>();
  for (const c of creators) {
    const seen = byId.get(c.id);
    byId.set(c.id, seen ? mergeCreator(seen, c) : c);
  }
  return [...byId.values()];
}
