import { createRequire } from "node:module";
import { ConfigurationError } from "@creatorsearch/core";
import { describe, expect, it } from "vitest";
import { loadPostgresJs, postgresJsLoadMessage, postgresJsMissingMessage } from "../src/pg/load-postgres-js.js";
import { installedPackage } from "../src/shared/installed-package.js";
import { catchError } from "./support/catch-error.js";

/** postgres.js loaded on demand (both majors), and the messages when it cannot be. No server needed. */
const require = createRequire(import.meta.url);

describe("installedPackage", () => {
  it("reads a driver's version and engines, also when its exports map hides package.json", () => {
    expect(installedPackage("postgres", require)).toMatchObject({ name: "postgres", version: expect.stringMatching(/^3\./) });
    // postgres.js 4 exports only ".": found by walking up from its entry file.
    expect(installedPackage("postgres-v4", require)).toMatchObject({ version: expect.stringMatching(/^4\./), nodeRange: ">=18" });
    expect(installedPackage("better-sqlite3", require)).toMatchObject({ version: expect.stringMatching(/^12\./), nodeRange: expect.stringContaining("20.x") });
  });

  it("is null for a package that is not installed", () => {
    expect(installedPackage("no-such-driver-cs", require)).toBeNull();
  });
});

describe("loadPostgresJs", () => {
  it("loads postgres.js 3 (its CJS build) and 4 (an ES module, through require)", () => {
    const v3 = loadPostgresJs("postgres", require);
    const v4 = loadPostgresJs("postgres-v4", require);
    expect(typeof v3).toBe("function");
    expect(typeof v4).toBe("function");
    expect(v4).not.toBe(v3);
    // Neither connects before a query.
    for (const postgres of [v3, v4]) expect(postgres("postgres://u:p@127.0.0.1:1/db", { max: 1, onnotice: () => {} }).options).toMatchObject({ database: "db", user: "u", pass: "p" });
  });

  it("names the install command when postgres.js is missing", () => {
    const error = catchError(() => loadPostgresJs("no-such-driver-cs", require));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toBe("postgresStorage({ url }) needs postgres.js: npm install postgres (or pass your own drizzle database as `db`)");
    expect(postgresJsMissingMessage()).toBe((error as Error).message);
  });

  it("names the fix when this Node cannot require postgres.js 4 (before 20.19 / 22.12)", () => {
    // As Node 20.18 answers `require()` of an ES module; `resolve` is the real one, to read the version.
    const olderNode = Object.assign(
      (id: string) => {
        throw Object.assign(new Error(`require() of ES Module ${id} not supported.`), { code: "ERR_REQUIRE_ESM" });
      },
      { resolve: require.resolve, cache: require.cache, main: require.main, extensions: require.extensions },
    ) as unknown as NodeJS.Require;
    const error = catchError(() => loadPostgresJs("postgres-v4", olderNode));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(/^postgres\.js 4\.\d+\.\d+ is an ES module, which Node \S+ cannot load synchronously.*: .*install postgres@3 \(npm install postgres@3\)$/);
  });
});

describe("postgresJsLoadMessage", () => {
  it("is one line, naming the fix", () => {
    const esm = Object.assign(new Error("require() of ES Module"), { code: "ERR_REQUIRE_ESM" });
    expect(postgresJsLoadMessage(esm, { version: "4.2.0", node: "20.18.0" })).toBe(
      "postgres.js 4.2.0 is an ES module, which Node 20.18.0 cannot load synchronously: run Node >=20.19 or >=22.12, or install postgres@3 (npm install postgres@3)",
    );
    expect(postgresJsLoadMessage(esm, { version: "4.2.0", node: "22.12.0" })).toBe(
      "postgres.js 4.2.0 is an ES module, which Node 22.12.0 cannot load synchronously when started with --no-experimental-require-module: drop that flag, or install postgres@3 (npm install postgres@3)",
    );
    expect(postgresJsLoadMessage(esm, { version: "4.2.0", node: "22.11.0" })).toMatch(/: run Node >=20\.19 or >=22\.12, /);
    expect(postgresJsLoadMessage(new Error("boom\n    at somewhere"), { version: "3.4.9", node: "20.20.2" })).toBe("Cannot load postgres.js 3.4.9: boom");
  });
});
