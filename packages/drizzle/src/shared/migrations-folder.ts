import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The folder of the migrations shipped with this package for `dialect`. Found by walking up
 * from this module, so it works from the sources, from `dist/`, and from any bundler layout
 * that keeps the package's `migrations/` folder next to its code.
 */
export function migrationsFolder(dialect: "sqlite" | "pg"): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, "migrations", dialect);
    if (existsSync(join(candidate, "meta", "_journal.json"))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`@creatorsearch/drizzle: cannot find its ${dialect} migrations folder`);
    dir = parent;
  }
}

/** The tags (`0000_init`...) of a migrations folder, in the order drizzle applies them. */
export function migrationTags(folder: string): string[] {
  const journal = JSON.parse(readFileSync(join(folder, "meta", "_journal.json"), "utf8")) as { entries: { tag: string }[] };
  return journal.entries.map((e) => e.tag);
}

/** The tables of DESIGN.md; every index, key and sequence drizzle-kit names starts with one. */
export const TABLE_NAMES = ["campaigns", "campaign_creators", "campaign_creator_keys", "creators", "search_chains", "search_jobs", "search_pages"] as const;

const NAMED = new RegExp(`(["\`])((?:${TABLE_NAMES.join("|")})(?:_[a-z0-9_]*)?)\\1`, "g");

/**
 * Prefixes the table names (and the index, key and sequence names derived from them) of a
 * generated migration statement. Column names never start with a table name, so quoted
 * identifiers are told apart by their start alone.
 */
export function prefixTableNames(statement: string, prefix: string, quote: '"' | "`"): string {
  if (!prefix) return statement;
  return statement.replace(NAMED, (whole, q: string, name: string) => (q === quote ? `${q}${prefix}${name}${q}` : whole));
}

/** Table prefixes users may choose: an SQL identifier start, short enough for the index names. */
export function checkTablePrefix(prefix: string): string | null {
  if (prefix === "") return null;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(prefix)) return "letters, digits and underscores expected, not starting with a digit";
  if (prefix.length > 20) return "at most 20 characters (index names derive from it and Postgres cuts names at 63 bytes)";
  return null;
}
