import { describe, expect, it } from "vitest";
import { sqliteAddonProblem } from "../src/storage.js";

describe("sqliteAddonProblem", () => {
  it("names the pnpm and npm fixes for an addon that was never built", () => {
    const bindings = new Error("Could not locate the bindings file. Tried:\n → /x/build/Release/better_sqlite3.node\n → /x/build/...");
    // as better-sqlite3 throws it, and wrapped the way a storage library reports it
    for (const error of [bindings, new Error("Cannot open the SQLite database /tmp/x.db", { cause: bindings })]) {
      const line = sqliteAddonProblem(error);
      expect(line).toMatch(/pnpm add -g --allow-build=better-sqlite3 @creatorsearch\/cli .*npm rebuild better-sqlite3$/);
      expect(line).not.toContain("\n");
    }
  });

  it("says rebuild for an addon built for another Node, though its message names the addon file", () => {
    const abi = Object.assign(new Error("The module '/x/build/Release/better_sqlite3.node' was compiled against a different Node.js version using NODE_MODULE_VERSION 127."), {
      code: "ERR_DLOPEN_FAILED",
    });
    expect(sqliteAddonProblem(abi)).toMatch(/^better-sqlite3 was built for another Node\.js than v\d+.*npm rebuild better-sqlite3/);
  });

  it("is undefined for other errors", () => {
    expect(sqliteAddonProblem(new Error("SQLITE_CANTOPEN: unable to open database file"))).toBeUndefined();
    expect(sqliteAddonProblem("text")).toBeUndefined();
  });
});
