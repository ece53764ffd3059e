import { EXIT } from "../errors.js";
import type { CliIO } from "../io.js";
import { openCliStorage } from "../storage.js";

export interface PruneOptions {
  db: string;
  dryRun?: boolean;
  /** Keep raw pages younger than this many days (default: drop every page no step needs). */
  keepDays?: number;
  vacuum?: boolean;
}

/** `12.3 MB`: bytes in the unit a reader expects (decimal, as disk tools show them). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = -1;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

/**
 * `creatorsearch prune --db <url|file> [--dry-run] [--keep-days n] [--vacuum]`: drops the raw
 * upstream pages no step needs any more (stored by a version that kept them, or older than
 * `--keep-days`), and says how many and how many bytes; `--dry-run` only counts them.
 */
export async function pruneCommand(io: CliIO, options: PruneOptions): Promise<number> {
  const rawPages = options.keepDays === undefined ? undefined : { keepDays: options.keepDays };
  const { storage, location } = await openCliStorage(io.cwd, options.db, { ...(rawPages ? { rawPages } : {}) });
  try {
    const { pages, bytes } = await storage.prunePages({
      now: new Date(),
      ...(options.dryRun ? { dryRun: true } : {}),
      ...(options.vacuum ? { vacuum: true } : {}),
    });
    const what = `${pages} raw page${pages === 1 ? "" : "s"} (${formatBytes(bytes)})`;
    if (options.dryRun) io.stdout.write(`${location}: would drop ${what}\n`);
    else io.stdout.write(`${location}: dropped ${what}${options.vacuum ? ", space handed back to the file system" : ""}\n`);
    return EXIT.ok;
  } finally {
    await storage.close();
  }
}
