import { ConfigurationError } from "@creatorsearch/core";
import { getTableName } from "drizzle-orm";
import type { RosterKey, RosterRow, RosterWrites, StoredRosterRow, StoredSource } from "../shared/roster-plan.js";
import { betterSqlite3ClientOf } from "./better-sqlite3-db.js";
import type { SqliteTables } from "./schema.js";
import type { SqliteDatabase } from "./storage.js";

/** The roster rows a commit rewrites: what `planRosterWrites` gives for an update. */
type RosterUpdate = RosterWrites["update"][number]["row"];

/**
 * The roster side of a page commit, as statements prepared once per connection. Every commit
 * writes its page's creators to the campaign roster too: built with drizzle, each of these
 * (a multi-row insert of a different size each time, an update per re-found creator) was
 * compiled again by SQLite at every commit, and the roster came to more than half of a commit's
 * CPU on the loop that also serves HTTP. Values are mapped as the schema's column modes do (JSON
 * text, epoch milliseconds, 0/1 booleans), in the (prefixed) tables of `tables`.
 */
export function prepareRosterWrites(db: SqliteDatabase, { campaignCreators, campaignCreatorKeys }: SqliteTables) {
  const client = betterSqlite3ClientOf(db);
  if (!client) throw new ConfigurationError("The SQLite storage needs a drizzle database on better-sqlite3 (drizzle-orm/better-sqlite3)");
  const entries = `"${getTableName(campaignCreators)}"`;
  const keys = `"${getTableName(campaignCreatorKeys)}"`;

  // The page's ids as one JSON array parameter: one statement for any page size.
  const readStored = client.prepare(
    `select "seq", "creator_id", "data", "found_by", "first_job_id" from ${entries}
     where "campaign_id" = ? and "platform" = ? and "creator_id" in (select value from json_each(?))`,
  );
  const insertEntry = client.prepare(
    `insert into ${entries} ("campaign_id", "user_id", "platform", "creator_id", "handle", "name", "followers", "data", "status", "notes", "tags",
       "found_by", "first_job_id", "linked", "first_seen_at", "updated_at")
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertKey = client.prepare(`insert into ${keys} ("campaign_id", "key", "entry_seq", "kind") values (?, ?, ?, ?) on conflict do nothing`);
  const updateEntry = client.prepare(
    `update ${entries} set "handle" = ?, "name" = ?, "followers" = ?, "data" = ?, "found_by" = ?, "updated_at" = ? where "seq" = ?`,
  );
  const deleteKeys = client.prepare(`delete from ${keys} where "entry_seq" = ?`);
  // Both entries of a pair that share one of the keys just written (one as its own, the other as
  // a link) are linked: what lets a roster page skip the key lookup for all the others.
  const markLinked = client.prepare(
    `update ${entries} set "linked" = 1 where "linked" = 0 and "seq" in (
       select a."entry_seq" from ${keys} a join ${keys} b on b."campaign_id" = a."campaign_id" and b."key" = a."key" and b."kind" <> a."kind" and b."entry_seq" <> a."entry_seq"
       where a."campaign_id" = ? and a."key" in (select value from json_each(?)))`,
  );

  const addKeys = (campaignId: string, entrySeq: number, list: readonly RosterKey[]) => {
    for (const k of list) insertKey.run(campaignId, k.key, entrySeq, k.kind);
  };

  return {
    /** The campaign's entries of these creators of one platform, by creator id. */
    stored(campaignId: string, platform: string, creatorIds: readonly string[]): Map<string, StoredRosterRow> {
      const rows = readStored.all(campaignId, platform, JSON.stringify(creatorIds)) as Record<string, unknown>[];
      const stored = new Map<string, StoredRosterRow>();
      for (const r of rows) {
        const creatorId = r.creator_id as string;
        stored.set(creatorId, {
          seq: Number(r.seq),
          creatorId,
          data: JSON.parse(r.data as string) as Record<string, unknown>,
          foundBy: JSON.parse(r.found_by as string) as StoredSource[],
          firstJobId: r.first_job_id as string,
        });
      }
      return stored;
    },
    /** Adds an entry and its keys. */
    insert(row: Omit<RosterRow, "seq">, entryKeys: readonly RosterKey[]): void {
      const { lastInsertRowid } = insertEntry.run(
        row.campaignId,
        row.userId,
        row.platform,
        row.creatorId,
        row.handle,
        row.name,
        row.followers,
        JSON.stringify(row.data),
        row.status,
        row.notes,
        JSON.stringify(row.tags),
        JSON.stringify(row.foundBy),
        row.firstJobId,
        row.linked ? 1 : 0,
        row.firstSeenAt.getTime(),
        row.updatedAt.getTime(),
      );
      addKeys(row.campaignId, Number(lastInsertRowid), entryKeys);
    },
    /** Rewrites what a job changed of an entry (never the team's fields), and its keys when they changed. */
    update(campaignId: string, seq: number, row: RosterUpdate, newKeys: readonly RosterKey[] | null): void {
      updateEntry.run(row.handle, row.name, row.followers, JSON.stringify(row.data), JSON.stringify(row.foundBy), row.updatedAt.getTime(), seq);
      if (!newKeys) return;
      deleteKeys.run(seq);
      addKeys(campaignId, seq, newKeys);
    },
    /** Marks linked both entries of each pair sharing one of the `written` keys. */
    markLinked(campaignId: string, written: readonly string[]): void {
      if (written.length) markLinked.run(campaignId, JSON.stringify(written));
    },
  };
}
