import satisfies from "semver/functions/satisfies.js";
import { ConfigurationError } from "@creatorsearch/core";
import { installedPackage, isNotFound, packageRequire } from "../shared/installed-package.js";

/*
 * postgres.js, loaded only when `postgresStorage({ url })` opens its own pool: users who pass a
 * drizzle database of their own (node-postgres, PGlite) need not install it. Loaded with
 * `require` so that `postgresStorage()` stays synchronous: postgres.js 3 ships a CJS build, and
 * postgres.js 4 is an ES module that Node requires from 20.19 and 22.12 on.
 */

/** What this package reads of a postgres.js pool, the same in postgres.js 3 and 4. */
export interface PostgresJsSql {
  options: {
    parsers: Record<string, unknown>;
    serializers: Record<string, unknown>;
    host?: unknown;
    port?: unknown;
    database?: unknown;
    user?: unknown;
    pass?: string | null;
  };
  end(options?: { timeout?: number }): Promise<void>;
}

/** postgres.js's `postgres(url, options)`. */
export type PostgresJs = (url: string, options: { max: number; onnotice: (notice: unknown) => void; backoff?: (attempt: number) => number }) => PostgresJsSql;

/**
 * Loads postgres.js (3 or 4) as installed next to this package, or throws a one-line
 * `ConfigurationError` naming the fix. `name` and `require` are for tests (an aliased major).
 */
export function loadPostgresJs(name = "postgres", require: NodeJS.Require = packageRequire): PostgresJs {
  let loaded: unknown;
  try {
    loaded = require(name);
  } catch (error) {
    if (isNotFound(error, name)) throw new ConfigurationError(postgresJsMissingMessage(), { cause: error });
    const installed = safeInstalled(name, require);
    throw new ConfigurationError(postgresJsLoadMessage(error, { version: installed?.version, node: process.versions.node }), { cause: error });
  }
  // postgres.js 3's CJS build exports the function; postgres.js 4 through require(esm) its namespace.
  const postgres = typeof loaded === "function" ? loaded : (loaded as { default?: unknown } | null)?.default;
  if (typeof postgres !== "function") {
    throw new ConfigurationError(`The installed postgres.js exports no postgres() function: install postgres@3 or postgres@4 (npm install postgres)`);
  }
  return postgres as PostgresJs;
}

/** The message when postgres.js is not installed. */
export function postgresJsMissingMessage(): string {
  return "postgresStorage({ url }) needs postgres.js: npm install postgres (or pass your own drizzle database as `db`)";
}

/**
 * The one-line message for postgres.js failing to load. Pure: the error, the installed
 * version and the running Node version decide it.
 */
export function postgresJsLoadMessage(error: unknown, { version, node }: { version?: string | undefined; node: string }): string {
  const code = (error as { code?: unknown } | null)?.code;
  const which = version ? `postgres.js ${version}` : "postgres.js";
  if (code === "ERR_REQUIRE_ESM" || code === "ERR_REQUIRE_ASYNC_MODULE") {
    // Node before 20.19 / 22.12 cannot require an ES module; later ones can, unless started with the flag that turns it off.
    if (requiresEsm(node)) {
      return `${which} is an ES module, which Node ${node} cannot load synchronously when started with --no-experimental-require-module: drop that flag, or install postgres@3 (npm install postgres@3)`;
    }
    return `${which} is an ES module, which Node ${node} cannot load synchronously: run Node >=20.19 or >=22.12, or install postgres@3 (npm install postgres@3)`;
  }
  const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
  return `Cannot load ${which}: ${reason}`;
}

/** Whether Node `version` can `require()` an ES module by default (20.19+, 22.12+, 23+). */
function requiresEsm(version: string): boolean {
  return satisfies(version, "^20.19.0 || ^22.12.0 || >=23", { includePrerelease: true });
}

function safeInstalled(name: string, require: NodeJS.Require) {
  try {
    return installedPackage(name, require);
  } catch {
    return null;
  }
}
