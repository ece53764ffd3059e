import { readFileSync } from "node:fs";
import { join } from "node:path";
import { memoryStorage } from "@creatorsearch/core";
import { describe, expect, it } from "vitest";
import { checkContext } from "../src/storage/context.js";
import { describeStorageConformance, storageChecks } from "../src/storage/index.js";
import { runCheck } from "../src/storage/suite.js";

const guide = readFileSync(join(import.meta.dirname, "../../../docs/guides/storage-adapter.md"), "utf8");

describe("the storage suite itself", () => {
  it("lists every check in docs/guides/storage-adapter.md, raw ones marked", () => {
    const listed = [...guide.matchAll(/^- (.+?)( \*\(raw\)\*)?$/gm)].map((m) => [m[1], Boolean(m[2])]);
    const names = Object.entries(storageChecks).map(([name, check]) => [name, Boolean((check as { needsRaw?: boolean }).needsRaw)]);
    expect(listed.filter(([name]) => (name as string) in storageChecks)).toEqual(names);
  });

  it("refuses to disable a check that does not exist", () => {
    expect(() =>
      describeStorageConformance("typo", {
        open: () => ({ storage: memoryStorage() }),
        disable: { "claimStep: one winner among 20 claimers": "typo" } as never,
      }),
    ).toThrow(/no check named "claimStep: one winner among 20 claimers"/);
  });

  it("fails a raw check left on for a harness without a raw side channel, saying what to do", async () => {
    const opened = { storage: memoryStorage() };
    const name = "claimStep: the lease is written to the store";
    const ctx = await checkContext(opened, []);
    await expect(runCheck(name, storageChecks[name], opened, ctx)).rejects.toThrow(/give the harness `raw`, or disable the check with a reason/);
  });
});
