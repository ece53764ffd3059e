import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UsageError } from "../src/errors.js";
import { checkWritable } from "../src/output/writable.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cs-cli-writable-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("checkWritable", () => {
  it("accepts a new file and leaves nothing behind", async () => {
    await checkWritable(join(dir, "new.csv"), "new.csv");
    expect(await readdir(dir)).not.toContain("new.csv");
  });

  it("accepts an existing file without changing its content or modification time", async () => {
    const file = join(dir, "old.csv");
    await writeFile(file, "old content\n");
    const before = await stat(file);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await checkWritable(file, "old.csv");
    expect(await readFile(file, "utf8")).toBe("old content\n");
    expect((await stat(file)).mtimeMs).toBe(before.mtimeMs);
  });

  it.each([
    ["missing/x.csv", /^--out missing\/x\.csv cannot be written: the directory .*missing does not exist$/],
    ["sub", /^--out sub is a directory: give a file name such as sub\/creators\.csv$/],
    ["plain.txt/x.csv", /^--out plain\.txt\/x\.csv cannot be written: a part of the path is a file, not a directory$/],
  ])("refuses %s with one line", async (shown, message) => {
    await mkdir(join(dir, "sub"), { recursive: true });
    await writeFile(join(dir, "plain.txt"), "x");
    const error = await checkWritable(join(dir, shown), shown).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(message);
  });
});
