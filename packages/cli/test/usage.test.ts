/**
 * Every bad flag of every command ends before the command opens anything: exit code 2, one line
 * on stderr, nothing on stdout (no help dump), and no database file or --out file left behind.
 * In-process (`run()`), as none of these cases gets as far as a server or a job.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runInProcess } from "./support/run-in-process.js";

let dir: string;
const FIXTURES = ["a-dir", "existing.csv", "file.txt", "folder.csv"];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cs-cli-usage-"));
  await mkdir(join(dir, "a-dir"));
  await mkdir(join(dir, "folder.csv"));
  await writeFile(join(dir, "file.txt"), "not a directory\n");
  await writeFile(join(dir, "existing.csv"), "kept\n");
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const long = (n: number) => "x".repeat(n);
/** A key and a base URL nothing listens on: a case that got past validation would fail differently. */
const env = { SCRAPECREATORS_API_KEY: "sandbox", SCRAPECREATORS_BASE_URL: "http://127.0.0.1:9" };

const cases: [string[], RegExp][] = [
  // the program itself
  [[], /^error: missing command: creatorsearch search\|worker\|similar\|jobs\|roster\|serve\|migrate\|prune\|sandbox/],
  [["frobnicate"], /unknown command 'frobnicate'/],
  [["--frobnicate"], /unknown option '--frobnicate'/],
  // search: target, rows, budget, platform
  [["search", "x", "--target", "0"], /--target must be a whole number from 1 to 10000/],
  [["search", "x", "--target", "-5"], /--target must be a whole number from 1 to 10000/],
  [["search", "x", "--target", "1.5"], /--target must be a whole number/],
  [["search", "x", "--target", "10001"], /--target must be a whole number from 1 to 10000/],
  [["search", "x", "--target", "1e3"], /--target must be a whole number/],
  [["search", "x", "--rows", "0"], /--rows must be a whole number from 1 to 1000/],
  [["search", "x", "--rows", "-1"], /--rows must be a whole number from 1 to 1000/],
  [["search", "x", "--rows", "2.5"], /--rows must be a whole number from 1 to 1000/],
  [["search", "x", "--rows", "99999999999999999999"], /--rows must be a whole number from 1 to 1000/],
  [["search", "x", "--rows", "ten"], /--rows must be a whole number from 1 to 1000/],
  [["search", "x", "--max-api-calls", "0"], /--max-api-calls must be a whole number from 1 to 100000/],
  [["search", "x", "--max-api-calls", "100001"], /--max-api-calls must be a whole number from 1 to 100000/],
  [["search", "x", "--platform", "myspace"], /Allowed choices are tiktok, instagram, youtube/],
  [["search", "x", "--tagret", "5"], /unknown option '--tagret' \(Did you mean --target\?\)\n$/],
  [["search", "x", "--target"], /option '--target <n>' argument missing/],
  [["search"], /missing required argument 'keyword'/],
  // search: keywords, as the engine would refuse them
  [["search", long(101)], /keywords\.0: must be at most 100 characters/],
  [["search", "  "], /keywords\.0: must not be empty/],
  [["search", ...Array.from({ length: 21 }, (_, i) => `k${i}`)], /keywords: at most 20 keywords/],
  // search: --out
  [["search", "x", "--out", "creators.txt"], /--out must end in \.csv or \.json/],
  [["search", "x", "--out", "creators"], /--out must end in \.csv or \.json/],
  [["search", "x", "--out", "missing/creators.csv"], /--out missing\/creators\.csv cannot be written: the directory .*missing does not exist/],
  [["search", "x", "--out", "folder.csv"], /--out folder\.csv is a directory/],
  [["search", "x", "--out", "file.txt/creators.csv"], /--out file\.txt\/creators\.csv cannot be written: a part of the path is a file/],
  // search: storage, queue, user
  [["search", "x", "--db", ""], /--db must be a SQLite file or a postgres:\/\/ URL/],
  [["search", "x", "--db", "mysql://u@h/db"], /--db must be a SQLite file or a postgres:\/\/ URL/],
  [["search", "x", "--db", "postgres://"], /--db is not a valid Postgres URL/],
  [["search", "x", "--redis", "127.0.0.1:6379"], /--redis must be a URL such as redis:\/\/127\.0\.0\.1:6379/],
  [["search", "x", "--redis", "http://127.0.0.1:6379"], /--redis must be a URL/],
  [["search", "x", "--redis", "redis://127.0.0.1:9", "--queue", "a:b"], /--queue must be 1-100 letters/],
  [["search", "x", "--user", " "], /--user must not be empty/],
  [["search", "x", "--no-wait"], /--no-wait needs --redis/],
  [["search", "x", "--sandbox", "--redis", "redis://127.0.0.1:9"], /--sandbox runs the API inside this process/],
  [["search", "x", "--redis", "redis://127.0.0.1:9", "--no-wait", "--out", "c.csv"], /--out needs the job to finish here/],
  // search: filters
  [["search", "x", "--min-followers", "lots"], /--min-followers must be a count such as 5000, 5k or 1\.5m/],
  [["search", "x", "--max-followers", "-1"], /--max-followers must be a count/],
  [["search", "x", "--min-avg-views", "1e6"], /--min-avg-views must be a count/],
  [["search", "x", "--min-engagement", "3"], /--min-engagement must be a percentage such as 3%/],
  [["search", "x", "--min-engagement", "2000%"], /minEngagementRate: must be a fraction such as 0\.03/],
  [["search", "x", "--posted-within-days", "0"], /--posted-within-days must be a whole number of days from 1 to 3650/],
  [["search", "x", "--posted-within-days", "3651"], /--posted-within-days must be a whole number of days from 1 to 3650/],
  [["search", "x", "--min-followers", "10k", "--max-followers", "5k"], /--max-followers \(5000\) must be at least --min-followers \(10000\)/],
  // similar
  [["similar"], /missing required argument 'handle'/],
  [["similar", ""], /targetHandle: must not be empty/],
  [["similar", long(201)], /targetHandle: must be at most 200 characters/],
  [["similar", "natgeo", "--platform", "tiktok"], /Allowed choices are instagram/],
  [["similar", "natgeo", "--rows", "0"], /--rows must be a whole number from 1 to 1000/],
  [["similar", "natgeo", "--out", "a-dir"], /--out must end in \.csv or \.json/],
  // worker
  [["worker"], /required option '--redis <url>' not specified/],
  [["worker", "--redis", "localhost"], /--redis must be a URL/],
  [["worker", "--redis", "redis://127.0.0.1:9", "--concurrency", "0"], /--concurrency must be a whole number from 1 to 1000/],
  [["worker", "--redis", "redis://127.0.0.1:9", "--rate", "0"], /--rate must be a whole number from 1 to 10000/],
  [["worker", "--redis", "redis://127.0.0.1:9", "--lease-ms", "50"], /--lease-ms must be a whole number from 100 to 86400000/],
  [["worker", "--redis", "redis://127.0.0.1:9", "--stalled-ms", "86400001"], /--stalled-ms must be a whole number from 100 to 86400000/],
  [["worker", "--redis", "redis://127.0.0.1:9", "--queue", ""], /--queue must be 1-100 letters/],
  // jobs
  [["jobs"], /^error: missing command: creatorsearch jobs list\|show\|export/],
  [["jobs", "list", "--limit", "0"], /--limit must be a whole number from 1 to 200/],
  [["jobs", "list", "--limit", "201"], /--limit must be a whole number from 1 to 200/],
  [["jobs", "show"], /missing required argument 'id'/],
  [["jobs", "show", ""], /job id must not be empty/],
  [["jobs", "show", "a", "b"], /too many arguments for 'show'/],
  [["jobs", "export", "some-id", "--format", "xml"], /Allowed choices are csv, json/],
  [["jobs", "export", "some-id", "--out", "creators.xlsx"], /--out must end in \.csv or \.json/],
  [["jobs", "export", "some-id", "--format", "json", "--out", "creators.csv"], /--format json contradicts --out creators\.csv/],
  [["jobs", "export", "some-id", "--out", "missing/creators.csv"], /cannot be written: the directory .*missing does not exist/],
  [["jobs", "export", "some-id", "--out", "folder.csv"], /--out folder\.csv is a directory/],
  // serve
  [["serve", "--port", "65536"], /--port must be a whole number from 0 to 65535/],
  [["serve", "--port", "-1"], /--port must be a whole number from 0 to 65535/],
  [["serve", "--port", "http"], /--port must be a whole number from 0 to 65535/],
  [["serve", "--host", ""], /--host must not be empty/],
  [["serve", "--base-path", "api"], /--base-path must be a URL path such as \/api/],
  [["serve", "--db", ""], /--db must be a SQLite file/],
  [["serve"], /serve needs a way to authenticate users/],
  [["serve", "--dev-auth", "--concurrency", "0"], /--concurrency must be a whole number from 1 to 1000/],
  [["serve", "--dev-auth", "--concurrency", "-2"], /--concurrency must be a whole number from 1 to 1000/],
  [["serve", "--dev-auth", "--concurrency", "2.5"], /--concurrency must be a whole number from 1 to 1000/],
  [["serve", "--dev-auth", "--concurrency", "many"], /--concurrency must be a whole number from 1 to 1000/],
  [["serve", "--dev-auth", "--concurrency", "1001"], /--concurrency must be a whole number from 1 to 1000/],
  [["serve", "--dev-auth", "--upstream-concurrency", "0"], /--upstream-concurrency must be a whole number from 1 to 1000/],
  [["serve", "--dev-auth", "--upstream-concurrency", "1e2"], /--upstream-concurrency must be a whole number from 1 to 1000/],
  [["serve", "--dev-auth", "--debug", "0"], /--debug must be a whole number from 1 to 3600/],
  [["serve", "--dev-auth", "--max-loop-delay", "-1"], /--max-loop-delay must be a whole number from 0 to 60000/],
  [["serve", "--dev-auth", "--redis", "redis://127.0.0.1:9", "--concurrency", "8"], /--concurrency does not apply with --redis/],
  [["serve", "--dev-auth", "--redis", "redis://127.0.0.1:9", "--upstream-concurrency", "8"], /--upstream-concurrency does not apply with --redis/],
  [["serve", "--dev-auth", "--qstash-token", "t", "--public-url", "http://127.0.0.1:9", "--concurrency", "8"], /--concurrency does not apply with --qstash-token/],
  // migrate
  [["migrate", "--db", "redis://127.0.0.1:6379"], /--db must be a SQLite file or a postgres:\/\/ URL/],
  [["migrate", "--check", "extra"], /too many arguments for 'migrate'/],
  // prune
  [["prune", "--keep-days", "-1"], /--keep-days must be a whole number from 0 to 36500/],
  [["prune", "--keep-days", "1.5"], /--keep-days must be a whole number from 0 to 36500/],
  [["prune", "--db", "mysql://x"], /--db must be a SQLite file or a postgres:\/\/ URL/],
  [["prune", "extra"], /too many arguments for 'prune'/],
  // sandbox
  [["sandbox", "--port", "70000"], /--port must be a whole number from 0 to 65535/],
  [["sandbox", "--latency", "60001"], /--latency must be a whole number from 0 to 60000/],
  [["sandbox", "--latency", "-1"], /--latency must be a whole number from 0 to 60000/],
  [["sandbox", "--host", " "], /--host must not be empty/],
  [["sandbox", "--page-kb", "-1"], /--page-kb must be a whole number from 0 to 100000/],
  [["sandbox", "--page-kb", "100001"], /--page-kb must be a whole number from 0 to 100000/],
  [["sandbox", "--page-kb", "1.8"], /--page-kb must be a whole number/],
  [["sandbox", "--page-kb", "big"], /--page-kb must be a whole number/],
];

describe("bad usage: exit 2, one line, nothing opened", () => {
  it.each(cases)("%j", async (args, message) => {
    const r = await runInProcess(args, { cwd: dir, env });
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: [^\n]+\n$/); // exactly one line, no stack
    expect(r.stdout).toBe(""); // no help dump
  });

  it("left no database, no --out file and no probe behind, and kept the existing file", async () => {
    expect((await readdir(dir)).sort()).toEqual(FIXTURES);
    expect((await readdir(join(dir, "folder.csv"))).length).toBe(0);
  });

  it("prints help on stdout with exit 0", async () => {
    for (const args of [["--help"], ["search", "--help"], ["help", "jobs"]]) {
      const r = await runInProcess(args, { cwd: dir, env });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: creatorsearch/);
      expect(r.stderr).toBe("");
    }
  });
});
