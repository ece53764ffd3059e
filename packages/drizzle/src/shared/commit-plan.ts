import { isDeepStrictEqual } from "node:util";
import { type Creator, type JobCreator, mergeCreator } from "@creatorsearch/core";
import type { AdmittedCreator } from "./roster-plan.js";
import { type CreatorRow, creatorColumns } from "./rows.js";

/** A creator of the job already stored, as both dialects read it back for merging. */
export interface StoredCreator {
  seq: number;
  firstSeenAt: Date;
  creator: Creator;
  excluded: boolean;
}

/** The writes that commit one page's creators of one platform. */
export interface CreatorWrites {
  /** New rows, in page order (the database assigns `seq` in this order). */
  insert: Omit<CreatorRow, "seq">[];
  /** Rows merged in place: same `seq`. */
  update: { seq: number; columns: Omit<CreatorRow, "seq"> }[];
  /**
   * Excluded rows a later page made pass: deleted and inserted again, so they take a new `seq`
   * (their position in the results) and readers paging with `after` see them.
   */
  readmit: { seq: number; columns: Omit<CreatorRow, "seq"> }[];
  /** Creators the job had not seen before (admitted or excluded). */
  newCreators: number;
  /** Stored creators the page brought nothing new about: left as they are. */
  unchanged: number;
  /**
   * Every creator of the page the job admits, as merged, for the campaign's roster; `fresh` when
   * this commit admits it (new to the job, or an excluded one that now passes).
   */
  admitted: AdmittedCreator[];
}

/**
 * Decides the writes for a page, the same way in both dialects: merge each creator into its
 * stored record, apply the job's filters (`accepts`) to the merged record, and keep an
 * admitted creator admitted (see `matchesFilters` in core for the rule).
 */
export function planCreatorWrites(
  jobId: string,
  page: readonly Creator[],
  seen: ReadonlyMap<string, StoredCreator>,
  accepts: ((creator: Creator) => boolean) | undefined,
  now: Date,
): CreatorWrites {
  const writes: CreatorWrites = { insert: [], update: [], readmit: [], newCreators: 0, unchanged: 0, admitted: [] };
  const passes = accepts ?? (() => true);
  for (const creator of page) {
    const before = seen.get(creator.id);
    if (!before) {
      writes.newCreators += 1;
      const admitted = passes(creator);
      writes.insert.push(creatorColumns(jobId, creator, now, !admitted));
      if (admitted) writes.admitted.push({ creator, fresh: true, firstSeenAt: now });
      continue;
    }
    // mergeCreator spreads its first argument: merge the bare creator, never the row's seq.
    const merged = mergeCreator(before.creator, creator);
    const excluded = before.excluded && !passes(merged);
    if (!excluded) writes.admitted.push({ creator: merged, fresh: before.excluded, firstSeenAt: before.firstSeenAt });
    // Pages often repeat what the job has (the same video again): no write then. The stored
    // record went through JSON, so compare the merged one as it would be stored.
    if (excluded === before.excluded && isDeepStrictEqual(JSON.parse(JSON.stringify(merged)), before.creator)) {
      writes.unchanged += 1;
      continue;
    }
    if (!before.excluded) {
      writes.update.push({ seq: before.seq, columns: creatorColumns(jobId, merged, before.firstSeenAt, false) });
    } else if (passes(merged)) {
      writes.readmit.push({ seq: before.seq, columns: creatorColumns(jobId, merged, before.firstSeenAt, false) });
    } else {
      writes.update.push({ seq: before.seq, columns: creatorColumns(jobId, merged, before.firstSeenAt, true) });
    }
  }
  return writes;
}

/** A stored row, as selected for merging, to a {@link StoredCreator}. */
export function toStoredCreator(row: Pick<CreatorRow, "seq" | "data" | "firstSeenAt" | "excluded">): StoredCreator {
  const { seq: _seq, firstSeenAt: _first, ...creator } = row.data as unknown as JobCreator;
  return { seq: Number(row.seq), firstSeenAt: row.firstSeenAt, creator, excluded: Boolean(row.excluded) };
}
