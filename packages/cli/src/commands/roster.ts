import { resolve } from "node:path";
import type { RosterEntry, RosterStatus } from "@creatorsearch/core";
import { campaignByRef } from "../campaign-ref.js";
import { EXIT, UsageError } from "../errors.js";
import { type CliIO, useColor } from "../io.js";
import { rosterTable } from "../output/table.js";
import { checkWritable } from "../output/writable.js";
import { formatOf, writeChunks } from "../output/write.js";
import { openRuntime } from "../runtime.js";

interface RosterFilterFlags {
  status?: RosterStatus;
  platform?: string;
  tag?: string;
  search?: string;
}

export interface RosterOptions extends RosterFilterFlags {
  db?: string;
  user: string;
  out?: string;
  json?: boolean;
  limit: number;
}

export interface RosterSetOptions {
  db?: string;
  user: string;
  platform?: string;
  status?: RosterStatus;
  note?: string;
  tags?: string;
  json?: boolean;
}

const filtersOf = (options: RosterFilterFlags) => ({
  ...(options.status ? { status: options.status } : {}),
  ...(options.platform ? { platform: options.platform } : {}),
  ...(options.tag ? { tag: options.tag } : {}),
  ...(options.search ? { q: options.search } : {}),
});

async function withRuntime<T>(io: CliIO, db: string | undefined, fn: (rt: Awaited<ReturnType<typeof openRuntime>>) => Promise<T>) {
  const runtime = await openRuntime(io, { db, worker: false });
  try {
    return await fn(runtime);
  } finally {
    await runtime.close();
  }
}

/**
 * `creatorsearch roster <campaign> [--status s] [--platform p] [--tag t] [--search text] [--out file]`:
 * the campaign's creators (by id or name), as a table, JSON, or a CSV/JSON file with every entry.
 */
export async function rosterCommand(io: CliIO, ref: string, options: RosterOptions): Promise<number> {
  const format = options.out ? formatOf(options.out) : undefined;
  const file = options.out ? resolve(io.cwd, options.out) : undefined;
  if (file) await checkWritable(file, options.out!);
  return withRuntime(io, options.db, async ({ cs }) => {
    const { campaign } = await campaignByRef(cs, options.user, ref);
    const filters = filtersOf(options);
    if (file && format) {
      await writeChunks(file, cs.campaigns.creators.export(options.user, campaign.id, { format, ...filters }));
      io.stderr.write(`wrote the roster of "${campaign.name}" to ${file}\n`);
      return EXIT.ok;
    }
    const page = await cs.campaigns.creators.list(options.user, campaign.id, { ...filters, limit: options.limit });
    if (options.json) {
      io.stdout.write(`${JSON.stringify(page.items, null, 2)}\n`);
    } else if (!page.items.length) {
      io.stdout.write(`no creators in "${campaign.name}"${Object.keys(filters).length ? " match these filters" : " yet"}\n`);
    } else {
      io.stdout.write(`${rosterTable(page.items, { color: useColor(io) })}\n`);
      if (page.hasMore) io.stdout.write(`... and more: use --limit, or --out roster.csv for every entry\n`);
    }
    return EXIT.ok;
  });
}

/**
 * `creatorsearch roster set <campaign> <handle...> [--status s] [--note text] [--tags a,b]`:
 * sets what the team decided on these creators. Every handle must be on the roster (all of
 * them change, or none); a handle on several platforms changes on each unless `--platform`.
 */
export async function rosterSetCommand(io: CliIO, ref: string, handles: string[], options: RosterSetOptions): Promise<number> {
  const tags = options.tags === undefined ? undefined : options.tags.split(",").map((t) => t.trim()).filter(Boolean);
  if (options.status === undefined && options.note === undefined && tags === undefined) {
    throw new UsageError("roster set needs --status, --note or --tags: say what to change");
  }
  const patch = {
    ...(options.status ? { status: options.status } : {}),
    ...(options.note !== undefined ? { notes: options.note === "" ? null : options.note } : {}),
    ...(tags ? { tags } : {}),
  };
  const wanted = handles.map((h) => h.trim().replace(/^@+/, "")).filter(Boolean);
  return withRuntime(io, options.db, async ({ cs }) => {
    const { campaign } = await campaignByRef(cs, options.user, ref);
    const found: RosterEntry[] = [];
    // At most 200 handles a page; more are read in pages of their own.
    for (let i = 0; i < wanted.length; i += 200) {
      const page = await cs.campaigns.creators.list(options.user, campaign.id, {
        handles: wanted.slice(i, i + 200),
        limit: 200,
        ...(options.platform ? { platform: options.platform } : {}),
      });
      found.push(...page.items);
    }
    const missing = wanted.filter((h) => !found.some((e) => e.handle.toLowerCase() === h.toLowerCase()));
    if (missing.length) {
      throw new UsageError(`not in "${campaign.name}": ${missing.map((h) => `@${h}`).join(", ")} (nothing was changed; see creatorsearch roster ${JSON.stringify(ref)})`);
    }
    const { items } = await cs.campaigns.creators.updateMany(options.user, campaign.id, found.map((e) => e.id), patch);
    if (options.json) io.stdout.write(`${JSON.stringify(items, null, 2)}\n`);
    else io.stdout.write(`${rosterTable(items, { color: useColor(io) })}\n`);
    return EXIT.ok;
  });
}
