import { cpSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { ConfigurationError } from "@creatorsearch/core";
import { afterAll, describe, expect, it } from "vitest";
import {
  betterSqlite3AddonMessage,
  betterSqlite3MissingMessage,
  betterSqlite3NodeMismatch,
  loadBetterSqlite3,
  lowestVersion,
  openBetterSqlite3,
} from "../src/sqlite/load-better-sqlite3.js";
import { catchError } from "./support/catch-error.js";

/*
 * The better-sqlite3 guard: an addon built for a newer Node crashes the process when it loads
 * (better-sqlite3 13 on Node 20: exit 139, no message), so the installed version is checked
 * first; a missing package or an addon never built fail with the fix in one line. The decision
 * is a pure function; the integration tests use package folders laid out in a temp dir, since
 * better-sqlite3 13 cannot be installed in this workspace (it does not run on Node 20).
 */
const V12_RANGE = "20.x || 22.x || 23.x || 24.x || 25.x || 26.x";

describe("betterSqlite3NodeMismatch", () => {
  it("refuses better-sqlite3 13 on Node 20, naming both fixes", () => {
    expect(betterSqlite3NodeMismatch({ version: "13.2.0", nodeRange: ">=22" }, "20.20.2")).toBe(
      "better-sqlite3 13.2.0 needs Node >=22 but this is Node 20.20.2: install better-sqlite3@12 (npm install better-sqlite3@12), or run Node 22",
    );
  });

  it("accepts better-sqlite3 13 on Node 22 and later", () => {
    expect(betterSqlite3NodeMismatch({ version: "13.2.0", nodeRange: ">=22" }, "22.0.0")).toBeNull();
    expect(betterSqlite3NodeMismatch({ version: "13.2.0", nodeRange: ">=22" }, "24.3.1")).toBeNull();
  });

  it("accepts better-sqlite3 12 on the Node versions it lists, and on those between (built from source)", () => {
    for (const node of ["20.0.0", "20.20.2", "21.7.3", "22.12.0", "26.1.0"]) {
      expect(betterSqlite3NodeMismatch({ version: "12.11.1", nodeRange: V12_RANGE }, node)).toBeNull();
    }
  });

  it("refuses a Node older than the range's lowest, without offering an older better-sqlite3 that would not fit either", () => {
    expect(betterSqlite3NodeMismatch({ version: "12.11.1", nodeRange: V12_RANGE }, "18.20.0")).toBe(
      `better-sqlite3 12.11.1 needs Node ${V12_RANGE} but this is Node 18.20.0: run Node 20`,
    );
  });

  it("falls back to a table when engines.node is missing or unreadable", () => {
    const message = "better-sqlite3 13.0.0 needs Node >=22 but this is Node 20.1.0: install better-sqlite3@12 (npm install better-sqlite3@12), or run Node 22";
    expect(betterSqlite3NodeMismatch({ version: "13.0.0" }, "20.1.0")).toBe(message);
    expect(betterSqlite3NodeMismatch({ version: "13.0.0", nodeRange: "node-lts" }, "20.1.0")).toBe(message);
    expect(betterSqlite3NodeMismatch({ version: "14.0.0" }, "20.1.0")).toMatch(/^better-sqlite3 14\.0\.0 needs Node >=22 /);
    expect(betterSqlite3NodeMismatch({ version: "12.11.1" }, "20.1.0")).toBeNull();
    expect(betterSqlite3NodeMismatch({ version: "11.10.0" }, "20.1.0")).toBeNull();
  });

  it("reads the lowest version of npm engines ranges", () => {
    expect(lowestVersion(">=22")).toEqual([22, 0, 0]);
    expect(lowestVersion(V12_RANGE)).toEqual([20, 0, 0]);
    expect(lowestVersion("^20.17.0 || >=22.9")).toEqual([20, 17, 0]);
    expect(lowestVersion(">=20 <25")).toEqual([20, 0, 0]);
    expect(lowestVersion(">= 18.0.0")).toEqual([18, 0, 0]);
    expect(lowestVersion(">21")).toEqual([22, 0, 0]);
    expect(lowestVersion(">22.1")).toEqual([22, 2, 0]);
    expect(lowestVersion("1.2.3 - 2.0.0")).toEqual([1, 2, 3]);
    expect(lowestVersion("*")).toEqual([0, 0, 0]);
    expect(lowestVersion("lts")).toBeNull();
  });
});

describe("betterSqlite3AddonMessage", () => {
  it("names pnpm approve-builds and npm rebuild when the addon was never built", () => {
    const error = new Error("Could not locate the bindings file. Tried:\n → /app/node_modules/better-sqlite3/build/better_sqlite3.node");
    expect(betterSqlite3AddonMessage(error, "12.11.1")).toBe(
      "better-sqlite3 12.11.1 is installed but its native addon was never built (pnpm 10 runs no build scripts until approved): " +
        "run `pnpm approve-builds` or `pnpm add --allow-build=better-sqlite3 better-sqlite3@12` with pnpm, `npm rebuild better-sqlite3` with npm",
    );
  });

  it("names npm rebuild for an addon built for another Node", () => {
    const error = Object.assign(new Error("The module '/x/better_sqlite3.node'\nwas compiled against a different Node.js version using\nNODE_MODULE_VERSION 127."), {
      code: "ERR_DLOPEN_FAILED",
    });
    expect(betterSqlite3AddonMessage(error, "12.11.1")).toMatch(/^better-sqlite3 12\.11\.1's native addon does not load on Node .*: rebuild it with `npm rebuild better-sqlite3`/);
    expect(betterSqlite3AddonMessage(error, "12.11.1")).not.toContain("\n");
  });

  it("leaves other errors alone", () => {
    expect(betterSqlite3AddonMessage(new TypeError("Cannot open database because the directory does not exist"), "12.11.1")).toBeNull();
  });
});

describe("loading better-sqlite3 from a folder of packages", () => {
  const root = mkdtempSync(join(tmpdir(), "cs-bsq3-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  /** A `require` resolving from an app in `dir`. */
  const requireIn = (dir: string) => createRequire(join(dir, "app.js"));
  const app = (name: string) => {
    const dir = join(root, name);
    mkdirSync(join(dir, "node_modules"), { recursive: true });
    return dir;
  };

  it("names `npm install better-sqlite3@12` when it is not installed", () => {
    const error = catchError(() => loadBetterSqlite3(requireIn(app("none"))));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toBe("sqliteStorage({ file }) needs better-sqlite3: npm install better-sqlite3@12");
    expect(betterSqlite3MissingMessage()).toBe((error as Error).message);
  });

  it("refuses better-sqlite3 13 on Node 20 before loading any of it", () => {
    const dir = app("v13");
    const pkg = join(dir, "node_modules", "better-sqlite3");
    mkdirSync(pkg);
    writeFileSync(join(pkg, "package.json"), JSON.stringify({ name: "better-sqlite3", version: "13.2.0", main: "index.js", engines: { node: ">=22" } }));
    // Stands in for the real one, whose addon would crash this process.
    writeFileSync(join(pkg, "index.js"), "globalThis.__csFakeBetterSqlite3Loaded = true; module.exports = function Database() {};");
    const loaded = () => (globalThis as { __csFakeBetterSqlite3Loaded?: boolean }).__csFakeBetterSqlite3Loaded === true;

    const error = catchError(() => loadBetterSqlite3(requireIn(dir), "20.20.2"));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toBe(
      "better-sqlite3 13.2.0 needs Node >=22 but this is Node 20.20.2: install better-sqlite3@12 (npm install better-sqlite3@12), or run Node 22",
    );
    expect(loaded()).toBe(false);

    expect(loadBetterSqlite3(requireIn(dir), "22.12.0").installed.version).toBe("13.2.0");
    expect(loaded()).toBe(true);
  });

  it("names pnpm approve-builds / npm rebuild when better-sqlite3 12 is installed without its built addon", () => {
    // The real package, as pnpm 10 leaves it when its build script was not approved: no build/.
    const dir = app("unbuilt");
    const real = dirname(createRequire(import.meta.url).resolve("better-sqlite3/package.json"));
    const pkg = join(dir, "node_modules", "better-sqlite3");
    cpSync(real, pkg, { recursive: true, dereference: true, filter: (source) => !/[/\\](build|deps|src|node_modules)$/.test(source) });
    const bindings = dirname(createRequire(join(real, "package.json")).resolve("bindings/package.json"));
    symlinkSync(realpathSync(bindings), join(dir, "node_modules", "bindings"), "dir");
    symlinkSync(realpathSync(join(bindings, "..", "file-uri-to-path")), join(dir, "node_modules", "file-uri-to-path"), "dir");

    const driver = loadBetterSqlite3(requireIn(dir));
    expect(driver.installed.dir).toBe(pkg);
    const error = catchError(() => openBetterSqlite3(driver, ":memory:", {}));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(/^better-sqlite3 12\.\d+\.\d+ is installed but its native addon was never built .*`pnpm approve-builds`.*`npm rebuild better-sqlite3` with npm$/);
    expect(((error as Error).cause as Error).message).toContain("Could not locate the bindings file");
  });

  it("opens the workspace's better-sqlite3 12", () => {
    const driver = loadBetterSqlite3();
    const db = openBetterSqlite3(driver, ":memory:", {});
    expect(db.prepare("select 1 as one").get()).toEqual({ one: 1 });
    db.close();
  });
});
