import { ConfigurationError } from "@creatorsearch/core";
import type BetterSqlite3 from "better-sqlite3";
import coerce from "semver/functions/coerce.js";
import lt from "semver/functions/lt.js";
import minVersion from "semver/ranges/min-version.js";
import { type InstalledPackage, installedPackage, packageRequire } from "../shared/installed-package.js";

/*
 * better-sqlite3, checked before its native addon loads. Its addon is loaded by the first
 * `new Database()`, and an addon built for a newer Node than the running one crashes the process
 * there (better-sqlite3 13 on Node 20: a segfault, exit 139, no message), so the installed
 * version's `engines.node` is compared with the running Node first. An addon that was never
 * built (pnpm 10 runs no build scripts until approved) fails with a sentence naming the fix.
 */

/** better-sqlite3's `Database` class. */
export type BetterSqlite3Class = typeof BetterSqlite3;

/**
 * The lowest Node each better-sqlite3 major needs, for a package.json without a readable
 * `engines.node`; a newer major is assumed to need at least what the newest one listed does.
 */
const LOWEST_NODE_BY_MAJOR: [major: number, node: string][] = [[13, "22.0.0"]];
/** The newest better-sqlite3 major that runs on Node 20 (the oldest Node this package supports). */
const LAST_MAJOR_FOR_NODE_20 = 12;

/**
 * Whether the installed better-sqlite3 runs on this Node: `null` when it does, else the one-line
 * message naming the fix, e.g. `better-sqlite3 13.2.0 needs Node >=22 but this is Node 20.20.2:
 * install better-sqlite3@12 (npm install better-sqlite3@12), or run Node 22`. Pure. Only a Node
 * older than the range's lowest is refused: an odd or newer Node outside `20.x || 22.x` still
 * builds the addon from source.
 */
export function betterSqlite3NodeMismatch(installed: { version: string; nodeRange?: string | undefined }, node: string): string | null {
  const major = Number.parseInt(installed.version, 10);
  const fromRange = installed.nodeRange ? lowestVersion(installed.nodeRange) : null;
  const fallback = LOWEST_NODE_BY_MAJOR.filter(([m]) => major >= m).at(-1)?.[1];
  const lowest = fromRange ?? (fallback ? lowestVersion(fallback) : null);
  const running = coerce(node);
  if (!lowest || !running || !lt(running, lowest.join("."))) return null;
  const needs = fromRange ? installed.nodeRange!.trim() : `>=${lowest[0]}`;
  const runningMajor = running.major;
  const older = runningMajor >= 20 && runningMajor < 22 && major > LAST_MAJOR_FOR_NODE_20 ? LAST_MAJOR_FOR_NODE_20 : null;
  const install = older ? `install better-sqlite3@${older} (npm install better-sqlite3@${older}), or ` : "";
  return `better-sqlite3 ${installed.version} needs Node ${needs} but this is Node ${node}: ${install}run Node ${lowest[0]}`;
}

/** The message when better-sqlite3 is not installed. */
export function betterSqlite3MissingMessage(): string {
  return `sqliteStorage({ file }) needs better-sqlite3: npm install better-sqlite3@${LAST_MAJOR_FOR_NODE_20}`;
}

/**
 * The one-line message for a native addon that failed to load in `new Database()`, or `null`
 * when `error` is about something else (a file that cannot be opened...).
 */
export function betterSqlite3AddonMessage(error: unknown, version: string): string | null {
  const e = error as { code?: unknown; message?: unknown } | null;
  const message = typeof e?.message === "string" ? e.message : "";
  // better-sqlite3 12 finds its addon through `bindings`; 13 requires build/Release/better_sqlite3.node when no prebuild fits.
  if (message.includes("Could not locate the bindings file") || (e?.code === "MODULE_NOT_FOUND" && message.includes("better_sqlite3.node"))) {
    return (
      `better-sqlite3 ${version} is installed but its native addon was never built (pnpm 10 runs no build scripts until approved): ` +
      `run \`pnpm approve-builds\` or \`pnpm add --allow-build=better-sqlite3 better-sqlite3@${Number.parseInt(version, 10)}\` with pnpm, \`npm rebuild better-sqlite3\` with npm`
    );
  }
  if (e?.code === "ERR_DLOPEN_FAILED" || message.includes("NODE_MODULE_VERSION")) {
    const first = message.split("\n")[0];
    return `better-sqlite3 ${version}'s native addon does not load on Node ${process.versions.node} (${first}): rebuild it with \`npm rebuild better-sqlite3\` (or \`pnpm rebuild better-sqlite3\`)`;
  }
  return null;
}

/**
 * Loads better-sqlite3 as installed next to this package, after checking that it runs on this
 * Node; throws a one-line `ConfigurationError` naming the fix. Its addon is not loaded yet: see
 * {@link openBetterSqlite3}. `require` and `node` are for tests.
 */
export function loadBetterSqlite3(
  require: NodeJS.Require = packageRequire,
  node: string = process.versions.node,
): { Database: BetterSqlite3Class; installed: InstalledPackage; entry: string | undefined } {
  const installed = installedPackage("better-sqlite3", require);
  if (!installed) throw new ConfigurationError(betterSqlite3MissingMessage());
  const mismatch = betterSqlite3NodeMismatch(installed, node);
  if (mismatch) throw new ConfigurationError(mismatch);
  const Database = require("better-sqlite3") as BetterSqlite3Class;
  // `entry` lets a worker thread load the very same copy (see wal-checkpointer.ts); a bundler's
  // `require` may not resolve paths, and then there is no such thread.
  let entry: string | undefined;
  try {
    entry = require.resolve("better-sqlite3");
  } catch {
    entry = undefined;
  }
  return { Database, installed, entry };
}

/** `new Database(file, options)`, with a missing or foreign native addon reported as a `ConfigurationError`. */
export function openBetterSqlite3(
  { Database, installed }: { Database: BetterSqlite3Class; installed: { version: string } },
  file: string,
  options: BetterSqlite3.Options,
): BetterSqlite3.Database {
  try {
    return new Database(file, options);
  } catch (error) {
    const addon = betterSqlite3AddonMessage(error, installed.version);
    if (addon) throw new ConfigurationError(addon, { cause: error });
    throw error;
  }
}

type Version = [major: number, minor: number, patch: number];

/**
 * The lowest version a range in npm's `engines` syntax admits (`>=22`, `20.x || 22.x`,
 * `^20.17.0 || >=22.9`, `>=20 <25`...), or `null` for a range semver does not read.
 */
export function lowestVersion(range: string): Version | null {
  try {
    const lowest = minVersion(range);
    return lowest ? [lowest.major, lowest.minor, lowest.patch] : null;
  } catch {
    return null; // not a range: "lts", "node-lts"...
  }
}
