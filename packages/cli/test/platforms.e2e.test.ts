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
  dir = await mkdtemp(join(tmpdir(), "cs-cli-platforms-"));
  sandbox = await startSandboxServer({ port: 0 });
});
afterAll(async () => {
  await sandbox?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("creatorsearch on Instagram and YouTube (sandbox over HTTP)", () => {
  it("similar <handle> --platform instagram --target 100 walks related profiles to 100 creators", async () => {
    const before = sandbox.sandbox.requestCount("/v1/instagram/profile");
    const r = await cli(["similar", "https://www.instagram.com/bakewithsunny/", "--platform", "instagram", "--target", "100", "--db", "ig.db", "--json"]);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    const { job, creators } = JSON.parse(r.stdout) as { job: Record<string, unknown>; creators: Array<Record<string, unknown>> };
    expect(job).toMatchObject({ status: "completed", stopReason: "target_reached", mode: "similar", platform: "instagram" });
    expect(creators.length).toBeGreaterThanOrEqual(100);
    expect(creators.map((c) => c.handle)).not.toContain("bakewithsunny");
    expect(sandbox.sandbox.requestCount("/v1/instagram/profile") - before).toBe(job.apiCalls);
  });

  it("similar with an unknown handle exits 1 with the reason on one line", async () => {
    const r = await cli(["similar", "@notfound_someone", "--db", "ig.db"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error: job error: Invalid input: targetHandle: Instagram has no account @notfound_someone (check the spelling)");
  });

  it("similar with a malformed handle exits 2 before any call", async () => {
    const before = sandbox.sandbox.creditsUsed;
    const r = await cli(["similar", "not a handle!", "--db", "ig.db"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('error: Invalid input: targetHandle: "not a handle!" is not a valid Instagram handle (letters, digits, "." and "_", at most 30)');
    expect(sandbox.sandbox.creditsUsed).toBe(before);
  });

  it("similar refuses a platform without related profiles", async () => {
    const r = await cli(["similar", "natgeo", "--platform", "tiktok", "--db", "ig.db"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--platform.*instagram/);
  });

  it("search --platform instagram finds reel owners", async () => {
    const r = await cli(["search", "sourdough", "--platform", "instagram", "--target", "20", "--db", "ig.db"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/status\s+completed \(target reached\)/);
    expect(r.stdout).toMatch(/platform\s+instagram/);
    expect(r.stdout).toMatch(/ handle /); // the table
  });

  it("search --platform youtube finds channels", async () => {
    const r = await cli(["search", "pottery", "--platform", "youtube", "--target", "15", "--db", "yt.db", "--json"]);
    expect(r.code).toBe(0);
    const { job, creators } = JSON.parse(r.stdout) as { job: Record<string, unknown>; creators: Array<Record<string, unknown>> };
    expect(job).toMatchObject({ status: "completed", platform: "youtube" });
    expect(creators.length).toBeGreaterThanOrEqual(15);
    expect(creators.every((c) => c.platform === "youtube" && String(c.profileUrl).startsWith("https://www.youtube.com/"))).toBe(true);
  });
});
