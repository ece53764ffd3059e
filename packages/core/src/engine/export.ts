import { stringify } from "csv-stringify/sync";
import type { JobCreator } from "../model/creator.js";

/** Columns of the CSV export, in order. */
export const CSV_COLUMNS = [
  "platform",
  "handle",
  "name",
  "followers",
  "verified",
  "emails",
  "profile_url",
  "avatar_url",
  "bio",
  "posts_found",
  "avg_views",
  "avg_likes",
  "engagement_by_followers",
  "engagement_by_views",
  "hashtags",
  "matched_keywords",
  "top_post_url",
] as const;

function avg(values: (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length ? Math.round(known.reduce((a, b) => a + b, 0) / known.length) : null;
}

/** One creator as a CSV record (missing values are empty cells, never 0). */
export function toCsvRecord(c: JobCreator): (string | number | null)[] {
  const top = [...c.posts].sort((a, b) => (b.views ?? -1) - (a.views ?? -1))[0];
  return [
    c.platform,
    c.handle,
    c.name,
    c.followers,
    c.verified === null ? null : c.verified ? "true" : "false",
    c.emails.join("; "),
    c.profileUrl,
    c.avatarUrl,
    c.bio,
    c.posts.length,
    avg(c.posts.map((p) => p.views)),
    avg(c.posts.map((p) => p.likes)),
    c.engagement.byFollowers === null ? null : Number(c.engagement.byFollowers.toFixed(6)),
    c.engagement.byViews === null ? null : Number(c.engagement.byViews.toFixed(6)),
    c.hashtags.join(" "),
    c.matchedKeywords.join("; "),
    top?.url ?? null,
  ];
}

/** CSV text of a batch of creators, with the header row when `header`. */
export function toCsvChunk(creators: readonly JobCreator[], header: boolean): string {
  const records = creators.map(toCsvRecord);
  return stringify(header ? [[...CSV_COLUMNS], ...records] : records);
}

/** A creator as exported to JSON: the normalized creator without storage bookkeeping. */
export function toJsonCreator(c: JobCreator): Omit<JobCreator, "seq" | "firstSeenAt"> {
  const { seq: _seq, firstSeenAt: _first, ...creator } = c;
  return creator;
}
