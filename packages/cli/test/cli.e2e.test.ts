import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { startSandboxServer } from "@creatorsearch/sandbox";
import Database from "better-sqlite3";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliResult, cleanEnv, cliNodeArgs, runCli } from "./support/run-cli.js";

/** Runs the real CLI in its own process (from source), as `pnpm creatorsearch` does. */
function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  return runCli(args, { cwd: dir, env: cleanEnv(env) });
}

let dir: string;
let sandbox: Awaited<ReturnType<typeof startSandboxServer>>;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cs-cli-"));
  await mkdir(join(dir, "out")); // --out needs its directory to exist
  sandbox = await startSandboxServer({ port: 0 });
});
afterAll(async () => {
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
});

describe("creatorsearch CLI end to end", () => {
  let jobId: string;

  it("searches on the sandbox over HTTP, writes a SQLite file and a CSV", async () => {
    const r = await cli(["search", "home cooking", "meal prep", "--sandbox", "--target", "60", "--db", "e2e.db", "--out", "out/creators.csv"]);
    expect(r.stderr).toMatch(/progress \d+% \d+\/60 creators/); // plain progress lines off a terminal
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/status\s+completed \(target reached\)/);
    jobId = /job ([0-9a-f-]{36})/.exec(r.stdout)![1]!;
    const found = Number(/creators\s+(\d+)\/60/.exec(r.stdout)![1]);
    expect(found).toBeGreaterThanOrEqual(60);
    expect(r.stdout).toContain("│ handle"); // the table
    expect(r.stdout).not.toMatch(/\u001b\[/); // no colour codes when stdout is not a terminal
    expect(r.stdout).toMatch(/\.\.\. and \d+ more: all of them are in out\/creators\.csv/);
    const rows = parse(await readFile(join(dir, "out/creators.csv"), "utf8"), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(found);
    expect(new Set(rows.map((row) => row.handle)).size).toBe(found);
    expect(rows[0]).toMatchObject({ platform: "tiktok" });
    expect(rows[0]!.profile_url).toMatch(/^https:\/\/www\.tiktok\.com\/@/);
  }, 120_000);

  it("lists, shows and exports the job from the same database", async () => {
    const list = await cli(["jobs", "list", "--db", "e2e.db", "--json"]);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout).map((j: { id: string }) => j.id)).toContain(jobId);

    const show = await cli(["jobs", "show", jobId, "--db", "e2e.db", "--json"]);
    expect(JSON.parse(show.stdout)).toMatchObject({ id: jobId, status: "completed", platform: "tiktok", keywords: ["home cooking", "meal prep"] });

    const exp = await cli(["jobs", "export", jobId, "--db", "e2e.db", "--out", "creators.json"]);
    expect(exp.code).toBe(0);
    const creators = JSON.parse(await readFile(join(dir, "creators.json"), "utf8"));
    expect(creators.length).toBeGreaterThanOrEqual(60);
    expect(creators[0]).toMatchObject({ platform: "tiktok", handle: expect.any(String), engagement: expect.any(Object) });
    expect(creators[0]).not.toHaveProperty("seq");

    const csv = await cli(["jobs", "export", jobId, "--db", "e2e.db"]);
    expect(csv.stdout.split("\n")[0]).toMatch(/^platform,handle,/);
  }, 120_000);

  it("keeps no raw page after the search, and prune drops pages an older version left", async () => {
    const file = join(dir, "e2e.db");
    const db = new Database(file);
    try {
      expect(db.prepare("select count(*) as n from search_pages").get()).toEqual({ n: 0 });
      // A page of a committed step, as versions before raw-page retention kept them.
      const chain = db.prepare("select key from search_chains where job_id = ?").get(jobId) as { key: string };
      db.prepare("insert into search_pages (job_id, chain, step, raw, fetched_at) values (?, ?, 0, ?, ?)").run(jobId, chain.key, JSON.stringify({ pad: "é".repeat(1000) }), Date.now());
    } finally {
      db.close();
    }
    const dry = await cli(["prune", "--db", "e2e.db", "--dry-run"]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toBe(`${file}: would drop 1 raw page (2.01 kB)\n`);
    expect((await cli(["prune", "--db", "e2e.db", "--keep-days", "1"])).stdout).toBe(`${file}: dropped 0 raw pages (0 B)\n`);
    const pruned = await cli(["prune", "--db", "e2e.db", "--vacuum"]);
    expect(pruned.stdout).toBe(`${file}: dropped 1 raw page (2.01 kB), space handed back to the file system\n`);
    const after = new Database(file, { readonly: true });
    expect(after.prepare("select count(*) as n from search_pages").get()).toEqual({ n: 0 });
    after.close();
  }, 120_000);

  it("prints JSON with --json", async () => {
    const r = await cli(["search", "sourdough", "--sandbox", "--target", "10", "--db", "json.db", "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.job.status).toBe("completed");
    expect(out.creators.length).toBe(out.job.processedResults);
  }, 120_000);

  it("hands a slow reader the whole of a large --json answer before it exits", async () => {
    // The reader starts a second after the CLI: a pipe holds 64 KB, the answer is several times that.
    const out = join(dir, "slow-reader.json");
    const command = [process.execPath, ...cliNodeArgs(["search", "focaccia", "--sandbox", "--target", "200", "--db", "slow.db", "--json"])]
      .map((a) => `'${a.replaceAll("'", "'\\''")}'`)
      .join(" ");
    await promisify(execFile)("sh", ["-c", `${command} | (sleep 1; cat > '${out}')`], { cwd: dir, env: cleanEnv(), timeout: 120_000 });
    const text = await readFile(out, "utf8");
    expect(text.length).toBeGreaterThan(128 * 1024);
    const answer = JSON.parse(text) as { job: { processedResults: number }; creators: unknown[] };
    expect(answer.creators.length).toBe(answer.job.processedResults);
  }, 120_000);

  it("uses SCRAPECREATORS_BASE_URL / SCRAPECREATORS_API_KEY without --sandbox", async () => {
    const r = await cli(["search", "tacos", "--target", "5", "--db", "env.db"], { SCRAPECREATORS_API_KEY: "sandbox", SCRAPECREATORS_BASE_URL: sandbox.url });
    expect(r.code).toBe(0);
  }, 120_000);

  it("exits 1 with the message when the job fails", async () => {
    const r = await cli(["search", "tacos", "--db", "fail.db"], { SCRAPECREATORS_API_KEY: "sc_test_nocredits", SCRAPECREATORS_BASE_URL: sandbox.url });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: job error: .*out of credits/);
  }, 120_000);

  it.each([
    [["search", "tacos", "--db", "x.db"], /SCRAPECREATORS_API_KEY.*--sandbox/],
    [["search", "--sandbox"], /missing required argument 'keyword/],
    [["search", "x", "--sandbox", "--target", "0"], /--target must be a whole number from 1 to 10000/],
    [["search", "x", "--sandbox", "--out", "x.txt"], /--out must end in .csv or .json/],
    [["search", "x", "--sandbox", "--platform", "myspace"], /Allowed choices are tiktok/],
    [["search", "x".repeat(101), "--sandbox", "--db", "v.db"], /keywords\.0: must be at most 100 characters/],
    [["jobs", "show", "00000000-0000-0000-0000-000000000000", "--db", "e2e.db"], /Job 0{8}-.* not found/],
    [["frobnicate"], /unknown command 'frobnicate'/],
  ])("exits 2 with one line for bad usage: %j", async (args, message) => {
    const r = await cli(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split("\n").filter((l) => l.startsWith("error"))).toHaveLength(1);
  }, 60_000);
});
