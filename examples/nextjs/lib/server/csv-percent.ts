import { Readable, Transform } from "node:stream";
import { parse } from "csv-parse";
import { stringify } from "csv-stringify";

/** The SDK's engagement columns: fractions (0.0412) in its CSV, percents (4.12%) in the app's. */
export const FRACTION_COLUMNS = ["engagement_by_followers", "engagement_by_views"] as const;

/** `0.041234` -> `4.12%`; an empty cell (unknown) stays empty. */
export function asPercent(cell: string): string {
  if (cell.trim() === "") return "";
  const n = Number(cell);
  return Number.isFinite(n) ? `${(n * 100).toFixed(2)}%` : cell;
}

/**
 * The SDK's streamed CSV with its engagement columns as percents, as the page shows them.
 * Streamed row by row (a large export is never held in memory); the columns are found by name.
 */
export function percentCsv(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  let columns: number[] | null = null;
  const convert = new Transform({
    objectMode: true,
    transform(record: string[], _encoding, done) {
      if (columns === null) {
        columns = FRACTION_COLUMNS.map((name) => record.indexOf(name)).filter((i) => i >= 0);
        done(null, record);
        return;
      }
      const out = [...record];
      for (const i of columns) out[i] = asPercent(out[i] ?? "");
      done(null, out);
    },
  });
  const node = Readable.fromWeb(body as never)
    .pipe(parse({ relax_column_count: true }))
    .pipe(convert)
    .pipe(stringify());
  return Readable.toWeb(node) as ReadableStream<Uint8Array>;
}
