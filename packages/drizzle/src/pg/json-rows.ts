/*
 * A commit hands Postgres its page as one JSON parameter (`jsonb_to_recordset`), so one prepared
 * text serves every page size. The planner cannot see how many rows such a parameter holds (it
 * assumes 100), and a job's or campaign's statistics lag behind its growth: together they led it
 * to hash a few rows and read a whole table. These helpers keep those statements index lookups.
 */

/**
 * A page's creators as the JSON parameter of a per-key lookup (`jsonb_to_recordset(...) as
 * k("platform" text, "creator_id" text)`), each once: a lateral lookup returns a row per key.
 */
export function pageKeysJson(creators: readonly { platform: string; id: string }[]): string {
  const seen = new Set<string>();
  const keys: { platform: string; creator_id: string }[] = [];
  for (const { platform, id } of creators) {
    const key = `${platform}\u0000${id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    keys.push({ platform, creator_id: id });
  }
  return JSON.stringify(keys);
}

/**
 * `limit n`, n rounded up to a power of two, for the subquery that unpacks a JSON parameter of
 * `rows` rows: the planner takes the limit as its row estimate, so an update of a few rows by
 * key joins them through the key's index instead of scanning the table. Rounded, so at most 8
 * texts per statement are prepared for pages of up to 128 rows.
 */
export function rowsHint(rows: number): string {
  return `limit ${2 ** Math.ceil(Math.log2(Math.max(1, rows)))}`;
}
