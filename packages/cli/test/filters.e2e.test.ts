import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSandboxServer } from "@creatorsearch/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliResult, cleanEnv, runCli } from "./support/run-cli.js";

let dir: string;
let sandbox: Awaited<ReturnType<typeof startSandboxServer>>;

/** Runs the real CLI in its own process against the sandbox server, over HTTP. */
function cli(args: string[]): Promise<CliResult> {
  return runCli(args, { cwd: dir, env: cleanEnv({ SCRAPECREATORS_API_KEY: "sandbox", SCRAPECREATORS_BASE_URL: sandbox.url }) });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cs-cli-filters-"));
  sandbox = await startSandboxServer({ port: 0 });
});
afterAll(async () => {
  await sandbox?.close();
  await rm(dir, { recursive: true, force: true });
});

type Result = { job: Record<string, number | string>; creators: Array<{ followers: number | null; emails: string[]; verified: boolean | null; bio: string | null }> };

describe("creatorsearch search with filter flags (sandbox over HTTP)", () => {
  it("keeps only creators inside --min-followers/--max-followers and reports how many were filtered", async () => {
    const all = await cli(["search", "sourdough", "--target", "1000", "--max-api-calls", "3", "--db", "f.db", "--json"]);
    expect(all.code).toBe(0);
    const everyone = (JSON.parse(all.stdout) as Result).creators;
    const followers = everyone.map((c) => c.followers!).sort((a, b) => a - b);
    const [min, max] = [followers[Math.floor(followers.length / 3)]!, followers[Math.floor((followers.length * 2) / 3)]!];

    const r = await cli(["search", "sourdough", "--target", "1000", "--max-api-calls", "3", "--db", "f.db", "--json", "--min-followers", String(min), "--max-followers", String(max)]);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    const { job, creators } = JSON.parse(r.stdout) as Result;
    expect(creators.length).toBeGreaterThan(0);
    expect(creators.every((c) => c.followers! >= min && c.followers! <= max)).toBe(true);
    expect(job.processedResults).toBe(creators.length);
    expect(job.filtered).toBe(everyone.length - creators.length);
  });

  it("--has-email --enrich returns creators with emails found in their profile bios, and the table says how many were filtered", async () => {
    const r = await cli(["search", "sourdough", "--target", "5", "--max-api-calls", "40", "--db", "f.db", "--has-email", "--enrich", "--rows", "50"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/filtered\s+\d+ \(found, but failed the filters\)/);
    const json = await cli(["search", "sourdough", "--target", "5", "--max-api-calls", "40", "--db", "f.db", "--has-email", "--enrich", "--json"]);
    const { creators } = JSON.parse(json.stdout) as Result;
    expect(creators.length).toBeGreaterThan(0);
    expect(creators.every((c) => c.emails.length > 0 && c.emails.every((e) => e === e.toLowerCase()))).toBe(true);
  });

  it.each([
    [["--min-followers", "lots"], "error: option '--min-followers <n>' argument 'lots' is invalid. --min-followers must be a count such as 5000, 5k or 1.5m"],
    [["--min-engagement", "3"], "error: option '--min-engagement <rate>' argument '3' is invalid. --min-engagement must be a percentage such as 3% or a fraction such as 0.03"],
    [["--posted-within-days", "0"], "error: option '--posted-within-days <n>' argument '0' is invalid. --posted-within-days must be a whole number of days from 1 to 3650"],
    [["--min-followers", "10k", "--max-followers", "5k"], "error: --max-followers (5000) must be at least --min-followers (10000)"],
  ])("%j exits 2 with a one-line message and spends nothing", async (flags, message) => {
    const before = sandbox.sandbox.creditsUsed;
    const r = await cli(["search", "sourdough", "--db", "f.db", ...flags]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(message);
    expect(sandbox.sandbox.creditsUsed).toBe(before);
  });
});

describe("creatorsearch similar with filter flags (sandbox over HTTP)", () => {
  it("--min-followers keeps only visited profiles above the bound", async () => {
    const r = await cli(["similar", "bakewithsunny", "--target", "10", "--max-api-calls", "15", "--db", "f.db", "--json", "--min-followers", "1"]);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    const { job, creators } = JSON.parse(r.stdout) as Result;
    // Related profiles not visited yet have no follower count: they fail until a visit fills it in.
    expect(creators.length).toBeGreaterThan(0);
    expect(creators.every((c) => c.followers !== null && c.followers >= 1)).toBe(true);
    expect(job.filtered).toBeGreaterThan(0);
  });
});
