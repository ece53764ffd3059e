import { describe, expect, it } from "vitest";
import { UsageError } from "../src/errors.js";
import { importOptional, installCommand, missingOptional, missingPackageOf } from "../src/optional.js";

const esm = (specifier: string) => Object.assign(new Error(`Cannot find package '${specifier}' imported from /app/node_modules/x/dist/index.js`), { code: "ERR_MODULE_NOT_FOUND" });
const cjs = (specifier: string) => Object.assign(new Error(`Cannot find module '${specifier}'\nRequire stack:\n- /app/x.js`), { code: "MODULE_NOT_FOUND" });

describe("missingPackageOf", () => {
  it.each([
    [esm("postgres"), "postgres"],
    [cjs("postgres"), "postgres"],
    [esm("@creatorsearch/bullmq"), "@creatorsearch/bullmq"],
    [cjs("drizzle-orm/postgres-js"), "drizzle-orm"],
    [esm("@creatorsearch/drizzle/pg"), "@creatorsearch/drizzle"],
    // a library's own error around the driver's
    [new Error("postgresStorage({ url }) needs postgres.js", { cause: cjs("postgres") }), "postgres"],
  ])("names the package of %s", (error, name) => {
    expect(missingPackageOf(error)).toBe(name);
  });

  it.each([
    [Object.assign(new Error("Cannot find module '/app/node_modules/bullmq/dist/x.js'"), { code: "ERR_MODULE_NOT_FOUND" })],
    [Object.assign(new Error("Cannot find module './chunk.js'"), { code: "MODULE_NOT_FOUND" })],
    [new Error("Cannot find package 'postgres'")], // no code: not Node's error
    [undefined],
    ["a string"],
  ])("is undefined for %s", (error) => {
    expect(missingPackageOf(error)).toBeUndefined();
  });
});

describe("installCommand", () => {
  it("says npm install in a project, -g next to a global install, npx -p under npx", () => {
    expect(installCommand(["postgres"], "/app/node_modules/@creatorsearch/cli/dist/bin.js")).toBe("npm install postgres");
    expect(installCommand(["postgres"], "/usr/local/lib/node_modules/@creatorsearch/cli/dist/bin.js")).toBe("npm install -g postgres");
    expect(installCommand(["bullmq", "ioredis"], "/home/u/.npm/_npx/1a2b/node_modules/@creatorsearch/cli/dist/bin.js")).toBe(
      "npx -p bullmq -p ioredis -p @creatorsearch/cli creatorsearch ...",
    );
  });
});

describe("importOptional / missingOptional", () => {
  it("turns a missing optional package into one line naming the install", async () => {
    const error = await importOptional(() => Promise.reject(esm("bullmq")), "--redis", "BullMQ", ["@creatorsearch/bullmq", "bullmq", "ioredis"]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/^--redis needs BullMQ: npm install @creatorsearch\/bullmq bullmq ioredis$/);
  });

  it("passes other errors through, a missing package it was not asked about included", async () => {
    const other = esm("zod");
    await expect(importOptional(() => Promise.reject(other), "--redis", "BullMQ", ["bullmq"])).rejects.toBe(other);
    expect(missingOptional(new Error("connection refused"), "--db", "postgres.js", ["postgres"])).toBeUndefined();
    await expect(importOptional(() => Promise.resolve(42), "--redis", "BullMQ", ["bullmq"])).resolves.toBe(42);
  });
});
