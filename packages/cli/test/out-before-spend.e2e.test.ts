/**
 * A bad `--out` is refused before the job spends anything: the real CLI, against the sandbox
 * over HTTP, exits 2 with one line while the sandbox counts no credit and no database is made.
 */
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type SandboxServer, startSandboxServer } from "@creatorsearch/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliResult, cleanEnv, runCli } from "./support/run-cli.js";

let dir: string;
let sandbox: SandboxServer;
const root = process.getuid?.() === 0;

function cli(args: string[]): Promise<CliResult> {
  return runCli(args, { cwd: dir, env: cleanEnv({ SCRAPECREATORS_API_KEY: "sandbox", SCRAPECREATORS_BASE_URL: sandbox.url }) });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cs-cli-out-"));
  sandbox = await startSandboxServer({ port: 0 });
  await mkdir(join(dir, "folder.csv"));
  await writeFile(join(dir, "file.txt"), "x\n");
  await mkdir(join(dir, "read-only"));
  await chmod(join(dir, "read-only"), 0o555);
});
afterAll(async () => {
  await sandbox?.close();
  await rm(dir, { recursive: true, force: true });
});

// root writes through file modes: /sys refuses it a new file (EACCES) all the same.
const readOnly = () => (root ? "/sys/creators.csv" : join(dir, "read-only/creators.csv"));

describe("a bad --out fails before any API call", () => {
  it.each([
    ["a missing directory", () => "missing/creators.csv", /the directory .*missing does not exist/],
    ["a directory", () => "folder.csv", /is a directory/],
    ["a path through a file", () => "file.txt/creators.csv", /a part of the path is a file/],
    ["no write permission", readOnly, /permission denied/],
  ])("%s", async (_what, out, message) => {
    const before = sandbox.sandbox.creditsUsed;
    const r = await cli(["search", "sourdough", "--target", "10", "--db", "spent.db", "--out", out()]);
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --out [^\n]+\n$/);
    expect(sandbox.sandbox.creditsUsed).toBe(before);
    // No job, not even a database: the check runs before the storage is opened.
    expect(await readdir(dir)).not.toContain("spent.db");
  });

  it("an existing --out file is replaced by the results only once the job has them", async () => {
    await writeFile(join(dir, "existing.csv"), "old\n");
    const r = await cli(["search", "sourdough", "--target", "10", "--db", "ok.db", "--out", "existing.csv"]);
    expect(r.code).toBe(0);
    expect(await readFile(join(dir, "existing.csv"), "utf8")).toMatch(/^platform,handle,/);
    expect(sandbox.sandbox.creditsUsed).toBeGreaterThan(0);
  });

  it("jobs export refuses a bad --out before opening the database", async () => {
    const r = await cli(["jobs", "export", "00000000-0000-0000-0000-000000000000", "--db", "export.db", "--out", "missing/x.json"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --out missing\/x\.json cannot be written: the directory .*missing does not exist\n$/);
    expect(await readdir(dir)).not.toContain("export.db");
  });

  it("jobs export with an unknown id leaves an existing --out file as it was", async () => {
    await writeFile(join(dir, "keep.csv"), "keep\n");
    const r = await cli(["jobs", "export", "00000000-0000-0000-0000-000000000000", "--db", "ok.db", "--out", "keep.csv"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Job 0{8}-.* not found/);
    expect(await readFile(join(dir, "keep.csv"), "utf8")).toBe("keep\n");
  });
});
