import { z } from "zod";
import { type Creator, CreatorLinkSchema, EngagementSchema } from "./creator.js";
import { mergeCreator } from "./merge.js";

/**
 * What the team decided about a creator of a campaign. New creators enter as `new`; jobs never
 * change it afterwards, only people do.
 */
export const RosterStatusSchema = z.enum(["new", "shortlisted", "contacted", "agreed", "rejected"]);
export type RosterStatus = z.infer<typeof RosterStatusSchema>;
export const ROSTER_STATUSES: readonly RosterStatus[] = RosterStatusSchema.options;

/** One job of the campaign that found a roster entry. */
export const RosterSourceSchema = z.object({
  jobId: z.string(),
  /** The job's keywords (or seed handle) that found the creator. */
  inputs: z.array(z.string()),
  /** When that job first found the creator. */
  at: z.date(),
});
export type RosterSource = z.infer<typeof RosterSourceSchema>;

/** Another entry of the same campaign that is the same person on another platform (or account). */
export const LinkedEntrySchema = z.object({
  id: z.string(),
  platform: z.string(),
  handle: z.string(),
});
export type LinkedEntry = z.infer<typeof LinkedEntrySchema>;

/**
 * A campaign's creator: one per platform account however many jobs found it, with the latest
 * metrics the jobs saw and the team's own fields (`status`, `notes`, `tags`), which no job resets.
 */
export const RosterEntrySchema = z.object({
  /** `"<platform>:<platform id>"`: stable, unique within the campaign, safe in a URL path. */
  id: z.string(),
  campaignId: z.string(),
  platform: z.string(),
  /** The platform's stable id of the account. */
  platformId: z.string(),
  handle: z.string(),
  name: z.string().nullable(),
  followers: z.number().nullable(),
  avatarUrl: z.string().nullable(),
  profileUrl: z.string().nullable(),
  bio: z.string().nullable(),
  verified: z.boolean().nullable(),
  emails: z.array(z.string()),
  hashtags: z.array(z.string()),
  engagement: EngagementSchema,
  status: RosterStatusSchema,
  notes: z.string().nullable(),
  tags: z.array(z.string()),
  /** The jobs that found it, first seen first. */
  foundBy: z.array(RosterSourceSchema),
  /** Other accounts the platforms say belong to this creator (no extra paid call). */
  links: z.array(CreatorLinkSchema),
  /** Entries of this campaign that are the same person (by `links`, in either direction). */
  linked: z.array(LinkedEntrySchema),
  firstSeenAt: z.date(),
  /** When a job or a person last changed it. */
  updatedAt: z.date(),
});
export type RosterEntry = z.infer<typeof RosterEntrySchema>;

/** A roster entry as storage returns it: `linked` is worked out by the SDK over a page of entries. */
export type StoredRosterEntry = Omit<RosterEntry, "linked"> & {
  /** Position in the roster (insertion order): the keyset cursor of roster pages. */
  seq: number;
  /**
   * `false` when the storage knows that no other entry of the campaign shares a key with this
   * one (neither links to it nor is linked from it), so `linked` is empty without a lookup.
   * `true` or absent: the SDK looks its keys up with `findRosterKeys`. A storage that keeps it
   * sets it to `true` whenever a key of either side is written, and may leave a stale `true`.
   */
  linkedHint?: boolean;
};

export const MAX_TAGS = 20;
export const MAX_TAG_LENGTH = 50;
export const MAX_NOTES_LENGTH = 5000;

/** A tag: trimmed, 1 to 50 characters, compared as written. */
export const TagSchema = z
  .string({ error: "must be a string" })
  .trim()
  .min(1, "must not be empty")
  .max(MAX_TAG_LENGTH, `must be at most ${MAX_TAG_LENGTH} characters`);

/** What people may change on a roster entry: every field optional, at least one given. */
export const RosterPatchSchema = z
  .object({
    status: RosterStatusSchema,
    notes: z.string({ error: "must be a string or null" }).max(MAX_NOTES_LENGTH, `must be at most ${MAX_NOTES_LENGTH} characters`).nullable(),
    tags: z
      .array(TagSchema, { error: "must be an array of strings" })
      .max(MAX_TAGS, `at most ${MAX_TAGS} tags`)
      .transform((tags) => [...new Set(tags)]),
  })
  .partial()
  .strict()
  .refine((p) => p.status !== undefined || p.notes !== undefined || p.tags !== undefined, {
    message: "give at least one of status, notes, tags",
  });
export type RosterPatch = z.output<typeof RosterPatchSchema>;
export type RosterPatchInput = z.input<typeof RosterPatchSchema>;

/** The roster id of a creator: `"<platform>:<platform id>"`. */
export function rosterEntryId(platform: string, platformId: string): string {
  return `${platform}:${platformId}`;
}

/** Splits a roster id into platform and platform id, or `null` when it is not one. */
export function parseRosterEntryId(id: string): { platform: string; platformId: string } | null {
  const colon = id.indexOf(":");
  if (colon <= 0 || colon === id.length - 1) return null;
  return { platform: id.slice(0, colon), platformId: id.slice(colon + 1) };
}

/**
 * Keys that identify an account (`self`) and the accounts it links to (`link`), compared
 * across entries to find the same person: `"<platform>:@<handle, lower case>"` and
 * `"<platform>:#<id>"`. Links to plain web sites have no key.
 */
export function identityKeysOf(entry: { platform: string; platformId: string; handle: string }): string[] {
  return [`${entry.platform}:@${entry.handle.toLowerCase()}`, `${entry.platform}:#${entry.platformId}`];
}

/** The keys of the accounts `links` point to (see {@link identityKeysOf}). */
export function linkKeysOf(links: Creator["links"]): string[] {
  const keys = new Set<string>();
  for (const link of links ?? []) {
    if (link.handle) keys.add(`${link.platform}:@${link.handle.toLowerCase()}`);
    if (link.id) keys.add(`${link.platform}:#${link.id}`);
  }
  return [...keys];
}

/**
 * The creator as the roster keeps it after a job committed `latest` (the job's merged record):
 * the latest non-null value of each figure, emails, hashtags and links unioned, engagement from
 * the latest record that had any; without posts and keywords (those stay with the jobs).
 * Pure, so a replayed commit writes the same entry.
 */
export function mergeRosterData(existing: Creator | null, latest: Creator): Creator {
  const slim = (c: Creator): Creator => ({ ...c, posts: [], matchedKeywords: [] });
  if (!existing) return slim(latest);
  const union = (a: readonly string[], b: readonly string[]) => [...new Set([...a, ...b])];
  const hasEngagement = latest.engagement.sampleSize > 0 || latest.engagement.byFollowers !== null || latest.engagement.byViews !== null;
  const links = mergeCreator({ ...existing, posts: [] }, { ...latest, posts: [] }).links;
  return slim({
    ...latest,
    name: latest.name ?? existing.name,
    followers: latest.followers ?? existing.followers,
    avatarUrl: latest.avatarUrl ?? existing.avatarUrl,
    profileUrl: latest.profileUrl ?? existing.profileUrl,
    bio: latest.bio ?? existing.bio,
    verified: latest.verified ?? existing.verified,
    emails: union(existing.emails, latest.emails),
    hashtags: union(existing.hashtags, latest.hashtags),
    engagement: hasEngagement ? latest.engagement : existing.engagement,
    ...(links ? { links } : {}),
  });
}
