import { z } from "zod";
import { NotFoundError, ValidationError } from "../errors.js";
import {
  type RosterEntry,
  type RosterPatchInput,
  RosterPatchSchema,
  RosterStatusSchema,
  type StoredRosterEntry,
  identityKeysOf,
  linkKeysOf,
} from "../model/roster.js";
import type { ListRosterOptions, RosterKeyMatch, StorageAdapter } from "../storage/types.js";
import { parseInput } from "../util/zod.js";
import { toRosterCsvChunk } from "./roster-export.js";

/** Filters and paging of `campaigns.creators.list`. */
export const RosterListInputSchema = z
  .object({
    after: z
      .string()
      .regex(/^\d{1,15}$/, "must be a cursor returned by a previous page")
      .nullish(),
    limit: z.number({ error: "must be a number" }).int("must be a whole number").min(1, "must be at least 1").max(200, "must be at most 200").default(50),
    status: RosterStatusSchema.optional(),
    platform: z.string().trim().toLowerCase().min(1, "must not be empty").max(50, "must be at most 50 characters").optional(),
    tag: z.string().trim().min(1, "must not be empty").max(50, "must be at most 50 characters").optional(),
    q: z.string().trim().max(100, "must be at most 100 characters").optional(),
    handles: z
      .array(z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters"))
      .max(200, "at most 200 handles")
      .transform((hs) => hs.map((h) => h.replace(/^@+/, "")))
      .optional(),
  })
  .strict();
export type RosterListInput = z.input<typeof RosterListInputSchema>;

/** Most ids one `updateMany` takes. */
export const MAX_ROSTER_BATCH = 500;
const RosterIdsSchema = z
  .array(z.string().min(1, "must not be empty").max(300, "must be at most 300 characters"), { error: "must be an array of roster ids" })
  .min(1, "at least one id is required")
  .max(MAX_ROSTER_BATCH, `at most ${MAX_ROSTER_BATCH} ids`);

/** One page of a campaign's roster. */
export interface RosterPage {
  items: RosterEntry[];
  /** Pass as `after` for the next page; stays usable on the last page (see `ResultsPage`). */
  nextCursor: string | null;
  hasMore: boolean;
}

/** What `campaigns.creators.updateMany` changed. */
export interface RosterUpdateResult {
  items: RosterEntry[];
  /** Ids asked for that are not on the campaign's roster. */
  notFound: string[];
}

/** `cs.campaigns.creators`: the campaign's roster. */
export interface RosterApi {
  /** A page of the roster in the order creators joined it; filters combine (all must hold). Throws `NotFoundError` for another user's campaign. */
  list(userId: string, campaignId: string, input?: RosterListInput): Promise<RosterPage>;
  /** Every entry matching the filters, read in batches (bounded memory). */
  iterate(userId: string, campaignId: string, input?: Omit<RosterListInput, "after" | "limit">): AsyncIterable<RosterEntry>;
  /** One entry by its id (`"<platform>:<platform id>"`), or `null`. Throws `NotFoundError` for another user's campaign. */
  get(userId: string, campaignId: string, id: string): Promise<RosterEntry | null>;
  /** Sets `status`, `notes` and/or `tags` of one entry. Throws `NotFoundError` (campaign or entry) and `ValidationError`. */
  update(userId: string, campaignId: string, id: string, patch: RosterPatchInput): Promise<RosterEntry>;
  /** The same patch on many entries in one transaction; ids not on the roster come back in `notFound`. */
  updateMany(userId: string, campaignId: string, ids: readonly string[], patch: RosterPatchInput): Promise<RosterUpdateResult>;
  /** The roster as CSV (one row per entry, with status, notes, tags and links) or a JSON array, streamed. */
  export(userId: string, campaignId: string, input: { format: "csv" | "json" } & Omit<RosterListInput, "after" | "limit">): AsyncIterable<string>;
}

/**
 * Works out `linked` over a batch of entries: another entry of the campaign is the same person
 * when one of them links to the other's handle or id (see `identityKeysOf`, `linkKeysOf`).
 */
export async function withLinked(storage: StorageAdapter, campaignId: string, entries: readonly StoredRosterEntry[]): Promise<RosterEntry[]> {
  // The accounts the entries link to (as others' own), and entries linking to theirs.
  const self = new Set<string>();
  const link = new Set<string>();
  for (const e of entries) {
    if (e.linkedHint === false) continue;
    for (const key of linkKeysOf(e.links)) self.add(key);
    for (const key of identityKeysOf(e)) link.add(key);
  }
  const matches = self.size || link.size ? await storage.findRosterKeys(campaignId, { self: [...self], link: [...link] }) : [];
  // By key, so each entry looks up its own few keys instead of scanning every match.
  const byKey = new Map<string, RosterKeyMatch[]>();
  for (const m of matches) {
    const list = byKey.get(m.key);
    if (list) list.push(m);
    else byKey.set(m.key, [m]);
  }
  return entries.map((entry) => {
    if (entry.linkedHint === false) return publicEntry(entry, []);
    const linked = new Map<string, RosterEntry["linked"][number]>();
    const add = (key: string, kind: RosterKeyMatch["kind"]) => {
      for (const m of byKey.get(key) ?? []) {
        if (m.kind === kind && m.id !== entry.id) linked.set(m.id, { id: m.id, platform: m.platform, handle: m.handle });
      }
    };
    // It links to another entry's own account, or another entry links to its account.
    for (const key of linkKeysOf(entry.links)) add(key, "self");
    for (const key of identityKeysOf(entry)) add(key, "link");
    return publicEntry(entry, [...linked.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));
  });
}

/** The entry as the SDK gives it: field by field, not a rest spread, as it runs for every entry of every page. */
function publicEntry(e: StoredRosterEntry, linked: RosterEntry["linked"]): RosterEntry {
  return {
    id: e.id,
    campaignId: e.campaignId,
    platform: e.platform,
    platformId: e.platformId,
    handle: e.handle,
    name: e.name,
    followers: e.followers,
    avatarUrl: e.avatarUrl,
    profileUrl: e.profileUrl,
    bio: e.bio,
    verified: e.verified,
    emails: e.emails,
    hashtags: e.hashtags,
    engagement: e.engagement,
    status: e.status,
    notes: e.notes,
    tags: e.tags,
    foundBy: e.foundBy,
    links: e.links,
    firstSeenAt: e.firstSeenAt,
    updatedAt: e.updatedAt,
    linked,
  };
}

/** Builds `cs.campaigns.creators` over `storage`. */
export function createRosterApi(storage: StorageAdapter, requireUser: (userId: string) => string, now: () => Date): RosterApi {
  const ownCampaign = async (userId: string, campaignId: string) => {
    const campaign = await storage.getCampaign(requireUser(userId), campaignId);
    if (!campaign) throw new NotFoundError("Campaign", campaignId);
    return campaign;
  };
  type Filters = Omit<ListRosterOptions, "limit" | "after">;
  const filtersOf = (input: Omit<RosterListInput, "after" | "limit">): Filters => presentFilters(parseInput(RosterListInputSchema, input));
  const presentFilters = ({ status, platform, tag, q, handles }: Filters): Filters => {
    return {
      ...(status ? { status } : {}),
      ...(platform ? { platform } : {}),
      ...(tag ? { tag } : {}),
      ...(q ? { q } : {}),
      ...(handles ? { handles } : {}),
    };
  };

  async function* iterate(userId: string, campaignId: string, input: Omit<RosterListInput, "after" | "limit"> = {}): AsyncIterable<RosterEntry> {
    const filters = filtersOf(input);
    let after = 0;
    for (;;) {
      const batch = await storage.listRoster(requireUser(userId), campaignId, { ...filters, after, limit: 200 });
      // Rows come from the user's campaign only: an empty first batch tells 404 from empty.
      if (!after && !batch.length) await ownCampaign(userId, campaignId);
      yield* await withLinked(storage, campaignId, batch);
      if (batch.length < 200) return;
      after = batch[batch.length - 1]!.seq;
    }
  }

  const api: RosterApi = {
    async list(userId, campaignId, input = {}) {
      const { after, limit, ...filters } = parseInput(RosterListInputSchema, input);
      // One row more than asked tells whether another page exists without a count query. Rows
      // are read for the user's campaign only, so only an empty page needs the tenancy check
      // (to answer 404 for another user's campaign).
      const rows = await storage.listRoster(requireUser(userId), campaignId, { ...presentFilters(filters), after: after ? Number(after) : 0, limit: limit + 1 });
      if (!rows.length) await ownCampaign(userId, campaignId);
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return { items: await withLinked(storage, campaignId, page), nextCursor: last ? String(last.seq) : (after ?? null), hasMore: rows.length > limit };
    },
    iterate,
    async get(userId, campaignId, id) {
      await ownCampaign(userId, campaignId);
      const [entry] = await storage.getRosterEntries(userId, campaignId, [id]);
      return entry ? (await withLinked(storage, campaignId, [entry]))[0]! : null;
    },
    async update(userId, campaignId, id, patch) {
      const parsed = parseInput(RosterPatchSchema, patch);
      await ownCampaign(userId, campaignId);
      const [entry] = await storage.updateRosterEntries(userId, campaignId, [id], parsed, now());
      if (!entry) throw new NotFoundError("Roster entry", id);
      return (await withLinked(storage, campaignId, [entry]))[0]!;
    },
    async updateMany(userId, campaignId, ids, patch) {
      const parsedIds = parseInput(z.object({ ids: RosterIdsSchema }), { ids }).ids;
      const parsed = parseInput(RosterPatchSchema, patch);
      await ownCampaign(userId, campaignId);
      const updated = await storage.updateRosterEntries(userId, campaignId, parsedIds, parsed, now());
      const found = new Set(updated.map((e) => e.id));
      updated.sort((a, b) => a.seq - b.seq);
      return { items: await withLinked(storage, campaignId, updated), notFound: [...new Set(parsedIds)].filter((id) => !found.has(id)) };
    },
    async *export(userId, campaignId, { format, ...filters }) {
      if (format !== "csv" && format !== "json") {
        throw new ValidationError([{ field: "format", reason: 'must be "csv" or "json"' }]);
      }
      let batch: RosterEntry[] = [];
      let first = true;
      const flush = () => {
        const chunk = format === "csv" ? toRosterCsvChunk(batch, first) : (first ? "[\n" : ",\n") + batch.map((e) => JSON.stringify(e)).join(",\n");
        first = false;
        batch = [];
        return chunk;
      };
      for await (const entry of iterate(userId, campaignId, filters)) {
        batch.push(entry);
        if (batch.length === 500) yield flush();
      }
      if (format === "csv" && (batch.length || first)) yield flush();
      if (format === "json") {
        if (batch.length) yield flush();
        yield first ? "[]\n" : "\n]\n";
      }
    },
  };
  return api;
}
