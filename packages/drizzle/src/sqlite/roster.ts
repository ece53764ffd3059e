import type { ListRosterOptions, RosterKeyMatch, RosterKeyQuery, RosterPatch, StoredRosterEntry } from "@creatorsearch/core";
import { type SQL, and, asc, eq, gt, inArray, sql } from "drizzle-orm";
import { rosterEntryId } from "@creatorsearch/core";
import { type AdmittedCreator, type RosterKey, type RosterWrites, type StoredRosterRow, idsByPlatform, keysAsked, planRosterWrites, toStoredRosterEntry } from "../shared/roster-plan.js";
import { definedOnly } from "../shared/rows.js";
import type { SqliteTables } from "./schema.js";
import type { SqliteDatabase } from "./storage.js";

// SQLite refuses statements with more than 32,766 parameters: multi-row inserts go in chunks.
const CHUNK = 500;
const chunks = <T>(items: readonly T[], size = CHUNK) =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/**
 * The campaign roster on SQLite: the writes `commitPage` makes inside its transaction, and the
 * reads and team updates of the roster API. `db` may be a transaction (better-sqlite3 runs
 * everything on one connection).
 */
export function sqliteRoster(tables: SqliteTables) {
  const { campaignCreators: entries, campaignCreatorKeys: keys, creators, searchJobs } = tables;

  const insertKeys = (db: SqliteDatabase, campaignId: string, entrySeq: number, list: RosterKey[]) => {
    if (!list.length) return;
    db.insert(keys)
      .values(list.map((k) => ({ campaignId, entrySeq, key: k.key, kind: k.kind })))
      .onConflictDoNothing()
      .run();
  };

  const toEntries = (rows: (typeof entries.$inferSelect)[]): StoredRosterEntry[] => rows.map(toStoredRosterEntry);

  /** Rows of the user's campaign with these roster ids. */
  const rowsOf = (db: SqliteDatabase, userId: string, campaignId: string, ids: readonly string[]) =>
    [...idsByPlatform(ids)].flatMap(([platform, platformIds]) =>
      chunks(platformIds).flatMap((part) =>
        db
          .select()
          .from(entries)
          .where(
            and(
              eq(entries.campaignId, campaignId),
              eq(entries.userId, userId),
              eq(entries.platform, platform),
              inArray(entries.creatorId, part),
            ),
          )
          .orderBy(asc(entries.seq))
          .all(),
      ),
    );

  return {
    /**
     * Plans and writes the roster side of a page's commit for one platform's admitted creators;
     * returns the creator ids that are known to the job (`onlyNew`).
     */
    commit(
      db: SqliteDatabase,
      job: { id: string; campaignId: string; userId: string },
      platform: string,
      admitted: readonly AdmittedCreator[],
      onlyNew: boolean,
      now: Date,
    ): RosterWrites["known"] {
      if (!admitted.length) return new Set();
      const stored = new Map<string, StoredRosterRow>();
      for (const part of chunks(admitted.map((a) => a.creator.id))) {
        const rows = db
          .select({ seq: entries.seq, creatorId: entries.creatorId, data: entries.data, foundBy: entries.foundBy, firstJobId: entries.firstJobId })
          .from(entries)
          .where(and(eq(entries.campaignId, job.campaignId), eq(entries.platform, platform), inArray(entries.creatorId, part)))
          .all();
        for (const row of rows) stored.set(row.creatorId, row);
      }
      const writes = planRosterWrites(job, platform, admitted, stored, onlyNew, now);
      for (const part of chunks(writes.insert)) {
        const added = db
          .insert(entries)
          .values(part.map((w) => w.row))
          .returning({ seq: entries.seq, creatorId: entries.creatorId })
          .all();
        const seqOf = new Map(added.map((a) => [a.creatorId, a.seq]));
        const allKeys = part.flatMap((w) => w.keys.map((k) => ({ ...k, entrySeq: seqOf.get(w.row.creatorId)! })));
        for (const keyPart of chunks(allKeys)) {
          db.insert(keys)
            .values(keyPart.map((k) => ({ campaignId: job.campaignId, entrySeq: k.entrySeq, key: k.key, kind: k.kind })))
            .onConflictDoNothing()
            .run();
        }
      }
      for (const { seq, row, keys: newKeys } of writes.update) {
        db.update(entries).set(row).where(eq(entries.seq, seq)).run();
        if (newKeys) {
          db.delete(keys).where(eq(keys.entrySeq, seq)).run();
          insertKeys(db, job.campaignId, seq, newKeys);
        }
      }
      return writes.known;
    },

    list(db: SqliteDatabase, userId: string, campaignId: string, options: ListRosterOptions): StoredRosterEntry[] {
      const { after = 0, limit, status, platform, tag, q, handles } = options;
      const needle = q?.toLowerCase();
      const conditions: (SQL | undefined)[] = [
        eq(entries.campaignId, campaignId),
        eq(entries.userId, userId),
        gt(entries.seq, after),
        status ? eq(entries.status, status) : undefined,
        platform ? eq(entries.platform, platform) : undefined,
        tag !== undefined ? sql`exists (select 1 from json_each(${entries.tags}) where value = ${tag})` : undefined,
        // instr, not like: % and _ in the text are plain characters.
        needle
          ? sql`(instr(lower(${entries.handle}), ${needle}) > 0 or instr(lower(coalesce(${entries.name}, '')), ${needle}) > 0)`
          : undefined,
        handles ? sql`lower(${entries.handle}) in (select value from json_each(${JSON.stringify(handles.map((h) => h.toLowerCase()))}))` : undefined,
      ];
      const rows = db
        .select()
        .from(entries)
        .where(and(...conditions))
        .orderBy(asc(entries.seq))
        .limit(limit)
        .all();
      return toEntries(rows);
    },

    get(db: SqliteDatabase, userId: string, campaignId: string, ids: readonly string[]): StoredRosterEntry[] {
      return toEntries(rowsOf(db, userId, campaignId, ids));
    },

    update(db: SqliteDatabase, userId: string, campaignId: string, ids: readonly string[], patch: RosterPatch, now: Date): StoredRosterEntry[] {
      const rows = rowsOf(db, userId, campaignId, ids);
      if (!rows.length) return [];
      const set = { ...definedOnly({ status: patch.status, notes: patch.notes, tags: patch.tags }), updatedAt: now };
      const seqs = rows.map((r) => r.seq);
      const updated = chunks(seqs).flatMap((part) => db.update(entries).set(set).where(inArray(entries.seq, part)).returning().all());
      updated.sort((a, b) => a.seq - b.seq);
      return toEntries(updated);
    },

    findKeys(db: SqliteDatabase, campaignId: string, query: RosterKeyQuery): RosterKeyMatch[] {
      const asked = keysAsked(query);
      return chunks(asked).flatMap((part) =>
        db
          .select({ key: keys.key, kind: keys.kind, platform: entries.platform, creatorId: entries.creatorId, handle: entries.handle })
          .from(keys)
          .innerJoin(entries, eq(entries.seq, keys.entrySeq))
          .where(
            and(
              eq(keys.campaignId, campaignId),
              sql`(${keys.key}, ${keys.kind}) in (select value ->> '$.key', value ->> '$.kind' from json_each(${JSON.stringify(part)}))`,
            ),
          )
          .all()
          .map((r) => ({ id: rosterEntryId(r.platform, r.creatorId), platform: r.platform, handle: r.handle, key: r.key, kind: r.kind as RosterKeyMatch["kind"] })),
      );
    },
  };
}
