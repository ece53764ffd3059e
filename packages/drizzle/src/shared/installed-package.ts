import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/*
 * The database drivers are optional peers, loaded only when a storage opens its own connection:
 * a user on node-postgres or PGlite need not install postgres.js, and a missing or unusable
 * driver fails with a sentence naming the fix instead of a module-resolution stack. tsup shims
 * `import.meta.url` in the CJS build, so this resolves from the package in both builds.
 */

/** `require` resolving from this package, as a driver installed next to it would be. */
export const packageRequire: NodeJS.Require = createRequire(import.meta.url);

/** What a driver's package.json says about itself. */
export interface InstalledPackage {
  name: string;
  version: string;
  /** Its `engines.node` range, when it declares one. */
  nodeRange?: string;
  /** The folder holding its package.json. */
  dir: string;
}

/**
 * The package.json of `name` as `require` would resolve it, or `null` when it is not installed.
 * Packages whose exports map hides `./package.json` (postgres.js 4) are found by walking up from
 * their entry file.
 */
export function installedPackage(name: string, require: NodeJS.Require = packageRequire): InstalledPackage | null {
  let file: string;
  try {
    file = require.resolve(`${name}/package.json`);
  } catch (error) {
    if (isNotFound(error, name)) return null;
    let entry: string;
    try {
      entry = require.resolve(name);
    } catch (inner) {
      if (isNotFound(inner, name)) return null;
      throw inner;
    }
    file = findPackageJson(entry);
  }
  const json = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string; engines?: { node?: unknown } };
  return {
    name,
    version: typeof json.version === "string" ? json.version : "0.0.0",
    ...(typeof json.engines?.node === "string" ? { nodeRange: json.engines.node } : {}),
    dir: dirname(file),
  };
}

/** Whether `error` says that `name` itself (not one of its own imports) cannot be found. */
export function isNotFound(error: unknown, name: string): boolean {
  const e = error as { code?: string; message?: string } | null;
  if (e?.code !== "MODULE_NOT_FOUND" && e?.code !== "ERR_MODULE_NOT_FOUND") return false;
  // "Cannot find module 'postgres'" or "... 'postgres/package.json'"; a nested miss names another module.
  return new RegExp(`['"]${name.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}(/package\\.json)?['"]`).test(e.message ?? "");
}

/** The nearest package.json above `entry` that has a name (nested ones like `{"type":"commonjs"}` have none). */
function findPackageJson(entry: string): string {
  for (let dir = dirname(entry); ; ) {
    const candidate = join(dir, "package.json");
    try {
      if ((JSON.parse(readFileSync(candidate, "utf8")) as { name?: unknown }).name) return candidate;
    } catch {
      // No package.json here: keep walking up.
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`Cannot find the package.json above ${entry}`);
    dir = parent;
  }
}
