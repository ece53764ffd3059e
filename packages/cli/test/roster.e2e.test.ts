import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSandboxServer } from "@creatorsearch/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliResult, cleanEnv, runCli } from "./support/run-cli.js";

let dir: string;
let sandbox: Awaited<ReturnType<typeof startSandboxServer>>;

/** Runs the real CLI in its own process against the sandbox server, over HTTP, on one SQLite file. */
function cli(args: string[]): Promise<CliResult> {
  return runCli([...args, "--db", "roster.db"], { cwd: dir, env: cleanEnv({ SCRAPECREATORS_API_KEY: "sandbox", SCRAPECREATORS_BASE_URL: sandbox.url }) });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cs-cli-roster-"));
  sandbox = await startSandboxServer({ port: 0 });
});
afterAll(async () => {
  await sandbox?.close();
  await rm(dir, { recursive: true, force: true });
});

type Entry = { id: string; handle: string; status: string; notes: string | null; tags: string[]; foundBy: unknown[] };

describe("creatorsearch roster (sandbox over HTTP, SQLite file)", () => {
  it("gathers searches of one campaign by name, skips known creators with --only-new, and sets statuses by handle", async () => {
    const first = await cli(["search", "sourdough", "--target", "40", "--campaign", "Bread week", "--json"]);
    expect(first.stderr).not.toMatch(/error/);
    expect(first.code).toBe(0);
    const firstJob = JSON.parse(first.stdout).job;

    const list = await cli(["roster", "Bread week", "--json", "--limit", "200"]);
    expect(list.code).toBe(0);
    const entries = JSON.parse(list.stdout) as Entry[];
    expect(entries.length).toBe(firstJob.processedResults);

    const again = await cli(["search", "sourdough", "focaccia", "--target", "30", "--campaign", "bread WEEK", "--only-new", "--json"]);
    expect(again.code).toBe(0);
    const { job, creators } = JSON.parse(again.stdout) as { job: { processedResults: number; skippedKnown: number }; creators: { id: string }[] };
    const known = new Set(entries.map((e) => e.id));
    expect(creators.every((c) => !known.has(`tiktok:${c.id}`))).toBe(true);
    expect(job.processedResults).toBe(creators.length);

    const [a, b] = entries;
    const set = await cli(["roster", "set", "Bread week", `@${a!.handle}`, b!.handle, "--status", "shortlisted", "--note", "great crumb", "--tags", "vegan, q3", "--json"]);
    expect(set.stderr).toBe("");
    expect(set.code).toBe(0);
    expect((JSON.parse(set.stdout) as Entry[]).map((e) => [e.handle, e.status, e.notes, e.tags])).toEqual([
      [a!.handle, "shortlisted", "great crumb", ["vegan", "q3"]],
      [b!.handle, "shortlisted", "great crumb", ["vegan", "q3"]],
    ]);
    const shortlisted = await cli(["roster", "Bread week", "--status", "shortlisted"]);
    expect(shortlisted.stdout).toContain(`@${a!.handle}`);
    expect(shortlisted.stdout).toContain("shortlisted");

    const out = await cli(["roster", "Bread week", "--tag", "vegan", "--out", "shortlist.csv"]);
    expect(out.code).toBe(0);
    const csv = (await readFile(join(dir, "shortlist.csv"), "utf8")).trim().split("\n");
    expect(csv[0]).toContain("status,notes,tags,links");
    expect(csv).toHaveLength(3);
  });

  it.each([
    [["roster", "No such campaign"], "error: Campaign No such campaign not found"],
    [["roster", "set", "Bread week", "nobody_here", "--status", "agreed"], 'error: not in "Bread week": @nobody_here (nothing was changed; see creatorsearch roster "Bread week")'],
    [["roster", "set", "Bread week", "someone"], "error: roster set needs --status, --note or --tags: say what to change"],
    [["roster", "Bread week", "--status", "maybe"], "error: option '--status <status>' argument 'maybe' is invalid. Allowed choices are new, shortlisted, contacted, agreed, rejected."],
    [["search", "soup", "--only-new"], "error: --only-new needs --campaign: a new campaign has no creators to skip"],
  ])("%j exits 2 with a one-line message", async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(message);
    expect(r.stdout).toBe("");
  });
});
