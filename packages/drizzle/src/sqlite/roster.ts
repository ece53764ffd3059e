import type { ListRosterOptions, RosterKeyMatch, RosterKeyQuery, RosterPatch, StoredRosterEntry } from "@creatorsearch/core";
import { and, asc, eq, fillPlaceholders, gt, inArray, sql } from "drizzle-orm";
import { rosterEntryId } from "@creatorsearch/core";
import {
  type AdmittedCreator,
  type RosterWrites,
  type StoredRosterRow,
  idsByPlatform,
  keysAsked,
  listValues,
  planRosterWrites,
  toStoredRosterEntry,
  toStoredRosterEntryFromDriver,
  writtenKeys,
} from "../shared/roster-plan.js";
import { definedOnly } from "../shared/rows.js";
import { betterSqlite3ClientOf } from "./better-sqlite3-db.js";
import type { prepareRosterWrites } from "./roster-writes.js";
import type { SqliteTables } from "./schema.js";
import type { SqliteDatabase } from "./storage.js";

// SQLite refuses statements with more than 32,766 parameters: long id lists go in chunks.
const CHUNK = 500;
const p = sql.placeholder;
/** The commit's roster statements (see roster-writes.ts). */
type RosterWritesStatements = ReturnType<typeof prepareRosterWrites>;
const chunks = <T>(items: readonly T[], size = CHUNK) =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/**
 * The campaign roster on SQLite: the writes `commitPage` makes inside its transaction, and the
 * reads and team updates of the roster API. `db` may be a transaction (better-sqlite3 runs
 * everything on one connection).
 */
export function sqliteRoster(tables: SqliteTables, writes: () => RosterWritesStatements) {
  const { campaignCreators: entries, campaignCreatorKeys: keys, creators, searchJobs } = tables;

  const toEntries = (rows: (typeof entries.$inferSelect)[]): StoredRosterEntry[] => rows.map(toStoredRosterEntry);

  // A roster page is read far more often than anything else here: its statement is built and
  // prepared once per combination of filters (at most 32), then only bound, and its rows are
  // mapped without drizzle's mapping (on better-sqlite3, which every SQLite storage runs on).
  type ListStatement = (values: Record<string, unknown>) => StoredRosterEntry[];
  const listStatements = new WeakMap<object, Map<string, ListStatement>>();
  const prepareList = (db: SqliteDatabase, has: (name: string) => boolean): ListStatement => {
    const query = db
      .select()
      .from(entries)
      .where(
        and(
          eq(entries.campaignId, p("campaignId")),
          eq(entries.userId, p("userId")),
          gt(entries.seq, p("after")),
          has("status") ? eq(entries.status, p("status")) : undefined,
          has("platform") ? eq(entries.platform, p("platform")) : undefined,
          has("tag") ? sql`exists (select 1 from json_each(${entries.tags}) where value = ${p("tag")})` : undefined,
          // instr, not like: % and _ in the text are plain characters.
          has("q") ? sql`(instr(lower(${entries.handle}), ${p("q")}) > 0 or instr(lower(coalesce(${entries.name}, '')), ${p("q")}) > 0)` : undefined,
          has("handles") ? sql`lower(${entries.handle}) in (select value from json_each(${p("handles")}))` : undefined,
        ),
      )
      .orderBy(asc(entries.seq))
      .limit(p("limit"));
    const client = betterSqlite3ClientOf(db);
    if (!client) {
      const prepared = query.prepare();
      return (values) => toEntries(prepared.all(values));
    }
    const { sql: text, params } = query.toSQL();
    const statement = client.prepare(text);
    return (values) => (statement.all(...fillPlaceholders(params, values)) as Record<string, unknown>[]).map(toStoredRosterEntryFromDriver);
  };
  const listStatement = (db: SqliteDatabase, values: Record<string, unknown>) => {
    let cache = listStatements.get(db);
    if (!cache) listStatements.set(db, (cache = new Map()));
    const key = Object.keys(values).join();
    let statement = cache.get(key);
    if (!statement) cache.set(key, (statement = prepareList(db, (name) => name in values)));
    return statement;
  };

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
      job: { id: string; campaignId: string; userId: string },
      platform: string,
      admitted: readonly AdmittedCreator[],
      onlyNew: boolean,
      now: Date,
    ): RosterWrites["known"] {
      if (!admitted.length) return new Set();
      const w = writes();
      const stored = w.stored(job.campaignId, platform, admitted.map((a) => a.creator.id));
      const planned = planRosterWrites(job, platform, admitted, stored, onlyNew, now);
      for (const { row, keys } of planned.insert) w.insert(row, keys);
      for (const { seq, row, keys } of planned.update) w.update(job.campaignId, seq, row, keys);
      w.markLinked(job.campaignId, writtenKeys([planned]));
      return planned.known;
    },

    list(db: SqliteDatabase, userId: string, campaignId: string, options: ListRosterOptions): StoredRosterEntry[] {
      const values = listValues(userId, campaignId, options);
      return listStatement(db, values)(values);
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
