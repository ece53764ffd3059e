import { isDeepStrictEqual } from "node:util";
import {
  type Creator,
  type ListRosterOptions,
  type RosterKeyQuery,
  type RosterStatus,
  type StoredRosterEntry,
  identityKeysOf,
  linkKeysOf,
  mergeRosterData,
  parseRosterEntryId,
  rosterEntryId,
} from "@creatorsearch/core";

/*
 * The campaign roster as both dialects keep it: a row per (campaign, platform, creator id) with
 * the merged creator in `data` and the team's fields beside it, plus a key table (identity and
 * link keys) that finds the same person across entries. What to write is decided here, once.
 */

/** A `foundBy` source as stored (JSON): `at` in epoch milliseconds. */
export interface StoredSource {
  jobId: string;
  inputs: string[];
  at: number;
}

export interface RosterRow {
  seq: number;
  campaignId: string;
  userId: string;
  platform: string;
  creatorId: string;
  handle: string;
  name: string | null;
  followers: number | null;
  data: Record<string, unknown>;
  status: string;
  notes: string | null;
  tags: string[];
  foundBy: StoredSource[];
  firstJobId: string;
  linked: boolean;
  firstSeenAt: Date;
  updatedAt: Date;
}

/** A roster entry as read back for merging. */
export type StoredRosterRow = Pick<RosterRow, "seq" | "creatorId" | "data" | "foundBy" | "firstJobId">;

/** A creator a job admits on a page, as `planRosterWrites` takes it. */
export interface AdmittedCreator {
  /** The job's merged record. */
  creator: Creator;
  /** Admitted by this commit (new to the job, or an excluded one that now passes). */
  fresh: boolean;
  /** When the job first saw it. */
  firstSeenAt: Date;
}

/** An entry's keys: its own (`self`) and those of the accounts it links to (`link`). */
export interface RosterKey {
  key: string;
  kind: "self" | "link";
}

/** The roster writes of one page's admitted creators of one platform. */
export interface RosterWrites {
  platform: string;
  /** New entries, in page order (the database assigns `seq` in this order), with their keys. */
  insert: { row: Omit<RosterRow, "seq">; keys: RosterKey[] }[];
  /** Entries whose merged record changed; `keys` set when the keys changed too (rewrite them). */
  update: { seq: number; row: Pick<RosterRow, "handle" | "name" | "followers" | "data" | "foundBy" | "updatedAt">; keys: RosterKey[] | null }[];
  /** Creator ids this commit admits that the roster had from another job (`onlyNew`: known). */
  known: Set<string>;
}

/** The keys a `findRosterKeys` query asks for, each with its kind, once. */
export function keysAsked(query: RosterKeyQuery): RosterKey[] {
  return [
    ...[...new Set(query.self)].map((key) => ({ key, kind: "self" as const })),
    ...[...new Set(query.link)].map((key) => ({ key, kind: "link" as const })),
  ];
}

/** The keys of an entry (see `identityKeysOf`, `linkKeysOf` in core). */
export function rosterKeysOf(platform: string, creatorId: string, creator: Pick<Creator, "handle" | "links">): RosterKey[] {
  return [
    ...identityKeysOf({ platform, platformId: creatorId, handle: creator.handle }).map((key) => ({ key, kind: "self" as const })),
    ...linkKeysOf(creator.links).map((key) => ({ key, kind: "link" as const })),
  ];
}

/**
 * What a roster row stores for a creator record. `asStored` gives `data` as it reads back (a JSON
 * copy: no `undefined` fields), which an update needs to compare it with the stored one; a new
 * entry's record is only serialized, so it goes as it is.
 */
const entryColumns = (data: Creator, asStored: boolean) => ({
  handle: data.handle,
  name: data.name,
  followers: data.followers,
  data: (asStored ? JSON.parse(JSON.stringify(data)) : data) as Record<string, unknown>,
});

/** `foundBy` with the job's source set (its inputs as the job's record has them now), first seen first. */
export function withSource(sources: readonly StoredSource[], source: StoredSource): StoredSource[] {
  const others = sources.filter((s) => s.jobId !== source.jobId);
  const kept = sources.find((s) => s.jobId === source.jobId);
  const merged = [...others, kept ? { ...source, at: kept.at } : source];
  return merged.sort((a, b) => a.at - b.at || (a.jobId < b.jobId ? -1 : a.jobId > b.jobId ? 1 : 0));
}

/**
 * Decides the roster writes for the creators a job admits on a page (`admitted`, one platform):
 * a new entry for a creator the campaign lacks (status `new`, this job first), the merge
 * (`mergeRosterData`) into the stored one otherwise, written only when it changed. With
 * `onlyNew`, a creator this commit admits whose entry another job added is *known*.
 */
export function planRosterWrites(
  job: { id: string; campaignId: string; userId: string },
  platform: string,
  admitted: readonly AdmittedCreator[],
  stored: ReadonlyMap<string, StoredRosterRow>,
  onlyNew: boolean,
  now: Date,
): RosterWrites {
  const writes: RosterWrites = { platform, insert: [], update: [], known: new Set() };
  for (const { creator, fresh, firstSeenAt } of admitted) {
    const entry = stored.get(creator.id);
    const source: StoredSource = { jobId: job.id, inputs: [...creator.matchedKeywords], at: firstSeenAt.getTime() };
    if (!entry) {
      const data = mergeRosterData(null, creator);
      writes.insert.push({
        row: {
          campaignId: job.campaignId,
          userId: job.userId,
          platform,
          creatorId: creator.id,
          ...entryColumns(data, false),
          status: "new",
          notes: null,
          tags: [],
          foundBy: [source],
          firstJobId: job.id,
          // Set by the commit's marking statement when one of its keys meets another entry's.
          linked: false,
          firstSeenAt: now,
          updatedAt: now,
        },
        keys: rosterKeysOf(platform, creator.id, data),
      });
      continue;
    }
    if (onlyNew && fresh && entry.firstJobId !== job.id) writes.known.add(creator.id);
    const before = entry.data as unknown as Creator;
    const columns = entryColumns(mergeRosterData(before, creator), true);
    const foundBy = withSource(entry.foundBy, source);
    if (isDeepStrictEqual(columns.data, before) && isDeepStrictEqual(foundBy, entry.foundBy)) continue;
    const keysBefore = rosterKeysOf(platform, creator.id, before);
    const keys = rosterKeysOf(platform, creator.id, columns.data as unknown as Creator);
    writes.update.push({ seq: entry.seq, row: { ...columns, foundBy, updatedAt: now }, keys: isDeepStrictEqual(keys, keysBefore) ? null : keys });
  }
  return writes;
}

/**
 * The keys a commit writes (of new entries, and of entries whose keys changed): the entries
 * sharing one of them with an entry of the other kind are the ones to mark `linked`.
 */
export function writtenKeys(planned: readonly RosterWrites[]): string[] {
  const written = new Set<string>();
  for (const w of planned) {
    for (const { keys } of w.insert) for (const k of keys) written.add(k.key);
    for (const { keys } of w.update) for (const k of keys ?? []) written.add(k.key);
  }
  return [...written];
}

/** A roster row to the entry storage returns. */
export function toStoredRosterEntry(row: Omit<RosterRow, "userId" | "firstJobId">): StoredRosterEntry {
  // Field by field, not a rest spread of `data`: this runs for every entry of every page read.
  const data = row.data as unknown as Creator;
  return {
    id: rosterEntryId(row.platform, row.creatorId),
    seq: Number(row.seq),
    campaignId: row.campaignId,
    platform: row.platform,
    platformId: row.creatorId,
    handle: row.handle,
    name: data.name,
    followers: data.followers,
    avatarUrl: data.avatarUrl,
    profileUrl: data.profileUrl,
    bio: data.bio,
    verified: data.verified,
    emails: data.emails,
    hashtags: data.hashtags,
    engagement: data.engagement,
    status: row.status as RosterStatus,
    notes: row.notes,
    tags: row.tags,
    foundBy: row.foundBy.map((s) => ({ jobId: s.jobId, inputs: s.inputs, at: new Date(s.at) })),
    links: data.links ?? [],
    linkedHint: row.linked,
    firstSeenAt: row.firstSeenAt,
    updatedAt: row.updatedAt,
  };
}

/**
 * A roster page's statement values by name (`campaignId`, `userId`, `after`, `limit`, then only
 * the filters asked for: `status`, `platform`, `tag`, `q` lowercased, `handles` as a JSON array
 * of lowercased handles). Their names pick the prepared statement.
 */
export function listValues(userId: string, campaignId: string, options: ListRosterOptions): Record<string, unknown> {
  const { after = 0, limit, status, platform, tag, q, handles } = options;
  const values: Record<string, unknown> = { campaignId, userId, after, limit };
  if (status) values.status = status;
  if (platform) values.platform = platform;
  if (tag !== undefined) values.tag = tag;
  if (q) values.q = q.toLowerCase();
  if (handles) values.handles = JSON.stringify(handles.map((h) => h.toLowerCase()));
  return values;
}

/** A JSON column as the driver gives it: text (SQLite) or parsed (Postgres). */
const jsonColumn = (value: unknown): unknown => (typeof value === "string" ? JSON.parse(value) : value);
/** A time column as the driver gives it: epoch ms (SQLite), timestamp text or a `Date` (Postgres). */
const timeColumn = (value: unknown): Date => (value instanceof Date ? value : new Date(value as string | number));

/**
 * A roster row as a driver returns it (column names, driver values), read without drizzle's row
 * mapping: a roster page maps 200 rows of 13 columns, where that mapping costs as much as the
 * query. The list statements select the table's columns by these names.
 */
export function toStoredRosterEntryFromDriver(r: Record<string, unknown>): StoredRosterEntry {
  return toStoredRosterEntry({
    seq: Number(r.seq),
    campaignId: r.campaign_id as string,
    platform: r.platform as string,
    creatorId: r.creator_id as string,
    handle: r.handle as string,
    name: r.name as string | null,
    followers: r.followers === null ? null : Number(r.followers),
    data: jsonColumn(r.data) as Record<string, unknown>,
    status: r.status as string,
    notes: r.notes as string | null,
    tags: jsonColumn(r.tags) as string[],
    foundBy: jsonColumn(r.found_by) as StoredSource[],
    linked: Boolean(r.linked),
    firstSeenAt: timeColumn(r.first_seen_at),
    updatedAt: timeColumn(r.updated_at),
  });
}

/** Roster ids grouped by platform (ids that are not roster ids are left out). */
export function idsByPlatform(ids: readonly string[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const id of new Set(ids)) {
    const parsed = parseRosterEntryId(id);
    if (!parsed) continue;
    let list = groups.get(parsed.platform);
    if (!list) groups.set(parsed.platform, (list = []));
    list.push(parsed.platformId);
  }
  return groups;
}
