/**
 * `creatorsearch worker` and `search --redis` as real processes on a real Redis: a worker killed
 * with SIGKILL mid-step loses nothing, and SIGTERM finishes the steps in flight before exiting.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TIKTOK_KEYWORD_SEARCH_PATH } from "@creatorsearch/core";
import { type SandboxServer, startSandboxServer } from "@creatorsearch/sandbox";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type CliResult, cliNodeArgs, runCli } from "./support/run-cli.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const KEYWORDS = ["sourdough", "ramen"];
/** 5 pages per keyword at 400 ms each: slow enough to kill a worker while it waits for a page. */
const SANDBOX = { resultsPerQuery: 140, pageSize: 30, latencyMs: 400, seed: "worker-e2e" };
/** Short locks and leases so a crashed worker's step moves on in seconds, not minutes. */
const FAST_RECOVERY = ["--stalled-ms", "1000", "--lease-ms", "2000"];

async function redisUp(): Promise<boolean> {
  const client = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch (error) {
    if (process.env.CI === "true") throw new Error(`Redis is required under CI=true but ${REDIS_URL} is unreachable: ${String(error)}`);
    return false;
  } finally {
    client.disconnect();
  }
}

let dir: string;
let sandbox: SandboxServer;
const children = new Set<ChildProcess>();
const queues: string[] = [];

const env = () => {
  const { SCRAPECREATORS_API_KEY: _k, SCRAPECREATORS_BASE_URL: _u, ...clean } = process.env;
  return { ...clean, SCRAPECREATORS_API_KEY: "sandbox", SCRAPECREATORS_BASE_URL: sandbox.url } as NodeJS.ProcessEnv;
};
const nodeArgs = cliNodeArgs;

/** Runs the CLI to its end. */
function cli(args: string[]): Promise<CliResult> {
  return runCli(args, { cwd: dir, env: env(), timeoutMs: 90_000 });
}

/** Starts a long-running CLI process; `output()` is what it printed so far. */
function start(args: string[]) {
  const child = spawn(process.execPath, nodeArgs(args), { cwd: dir, env: env(), stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("close", (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    }),
  );
  return { child, exited, output: () => ({ stdout, stderr }) };
}

async function until(done: () => boolean, what: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const creatorsIn = async (file: string) =>
  ((JSON.parse(await readFile(join(dir, file), "utf8")) as { platform: string; id: string }[]).map((c) => `${c.platform}:${c.id}`)).sort();

const uniqueQueue = (name: string) => {
  const queue = `cs-e2e-${name}-${process.pid}-${Date.now().toString(36)}`;
  queues.push(queue);
  return queue;
};
const searchRequests = () => sandbox.sandbox.requestCount(TIKTOK_KEYWORD_SEARCH_PATH);

const up = await redisUp();

describe.skipIf(!up)("creatorsearch worker + search --redis (real processes, real Redis)", () => {
  let baseline: string[];
  let baselinePages: number;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "cs-worker-"));
    sandbox = await startSandboxServer({ port: 0, ...SANDBOX });
    // An undisturbed run in one process (memory queue) on the same deterministic sandbox.
    const r = await cli(["search", ...KEYWORDS, "--target", "10000", "--db", "baseline.db", "--out", "baseline.json"]);
    expect(r.stderr).toContain("wrote");
    expect(r.code).toBe(0);
    baseline = await creatorsIn("baseline.json");
    baselinePages = searchRequests();
    expect(baseline.length).toBeGreaterThan(100);
    expect(baselinePages).toBe(10);
  }, 150_000);

  afterEach(() => {
    for (const child of children) child.kill("SIGKILL");
  });

  afterAll(async () => {
    for (const child of children) child.kill("SIGKILL");
    await sandbox?.close();
    const redis = new Redis(REDIS_URL);
    for (const queue of queues) {
      const keys = await redis.keys(`bull:${queue}:*`);
      if (keys.length) await redis.del(...keys);
    }
    redis.disconnect();
    await rm(dir, { recursive: true, force: true });
  });

  it("a worker killed with SIGKILL mid-step loses nothing: another finishes the job with the same creators", async () => {
    const queue = uniqueQueue("kill");
    const common = ["--db", "shared.db", "--redis", REDIS_URL, "--queue", queue];
    const first = start(["worker", ...common, "--concurrency", "2", ...FAST_RECOVERY]);
    await until(() => first.output().stderr.includes("ready"), "worker 1 to start");

    const before = searchRequests();
    const search = start(["search", ...KEYWORDS, ...common, "--target", "10000", "--out", "queued.json"]);
    // Kill once the worker has pages committed and is waiting on another one (400 ms latency).
    await until(() => searchRequests() >= before + 4, "worker 1 to be mid-job");
    first.child.kill("SIGKILL");
    expect((await first.exited).signal).toBe("SIGKILL");
    const paidWhenKilled = searchRequests() - before;
    expect(paidWhenKilled).toBeLessThan(10); // the job was not done

    const second = start(["worker", ...common, "--concurrency", "2", ...FAST_RECOVERY]);
    const result = await search.exited;
    expect(search.output().stderr).toMatch(/progress \d+%/);
    expect(result.code).toBe(0);
    expect(search.output().stdout).toMatch(/status\s+completed \(exhausted\)/);
    expect(await creatorsIn("queued.json")).toEqual(baseline);
    // Every page once, plus at most the pages the killed worker had requested but not stored.
    const paid = searchRequests() - before;
    expect(paid).toBeGreaterThanOrEqual(baselinePages);
    expect(paid).toBeLessThanOrEqual(baselinePages + 2);

    second.child.kill("SIGTERM");
    expect((await second.exited).code).toBe(0);
    expect(second.output().stderr).toContain("worker stopped");
  }, 150_000);

  it("an --only-new search whose worker is killed mid-step counts no creator twice and pays no page twice", async () => {
    type Result = { job: { processedResults: number; skippedKnown: number; status: string }; creators: { id: string }[] };
    const rosterOf = async (db: string) => {
      const r = await cli(["roster", "Soups", "--out", `${db}.roster.json`, "--db", db]);
      expect(r.stderr).toContain("wrote the roster");
      expect(r.code).toBe(0);
      return (JSON.parse(await readFile(join(dir, `${db}.roster.json`), "utf8")) as { id: string }[]).map((e) => e.id);
    };
    // The campaign already has the first pages of one keyword, in both files.
    for (const db of ["only-new-baseline.db", "only-new.db"]) {
      const r = await cli(["search", "sourdough", "--target", "40", "--campaign", "Soups", "--db", db]);
      expect(r.code).toBe(0);
    }
    // Undisturbed: one process, memory queue.
    let mark = searchRequests();
    const base = await cli(["search", ...KEYWORDS, "--target", "10000", "--campaign", "Soups", "--only-new", "--json", "--db", "only-new-baseline.db"]);
    expect(base.code).toBe(0);
    const basePages = searchRequests() - mark;
    const expected = JSON.parse(base.stdout) as Result;
    expect(expected.job.skippedKnown).toBeGreaterThan(0);

    // The same search on a worker killed with SIGKILL mid-job, finished by another.
    const queue = uniqueQueue("kill-only-new");
    const common = ["--db", "only-new.db", "--redis", REDIS_URL, "--queue", queue];
    const first = start(["worker", ...common, "--concurrency", "2", ...FAST_RECOVERY]);
    await until(() => first.output().stderr.includes("ready"), "worker 1 to start");
    mark = searchRequests();
    const search = start(["search", ...KEYWORDS, ...common, "--target", "10000", "--campaign", "Soups", "--only-new", "--json"]);
    await until(() => searchRequests() >= mark + 3, "worker 1 to be mid-job");
    first.child.kill("SIGKILL");
    expect((await first.exited).signal).toBe("SIGKILL");
    expect(searchRequests() - mark).toBeLessThan(basePages);
    const second = start(["worker", ...common, "--concurrency", "2", ...FAST_RECOVERY]);
    expect((await search.exited).code).toBe(0);
    const got = JSON.parse(search.output().stdout) as Result;

    expect(got.job).toMatchObject({ status: "completed", processedResults: expected.job.processedResults, skippedKnown: expected.job.skippedKnown });
    expect(got.creators.map((c) => c.id).sort()).toEqual(expected.creators.map((c) => c.id).sort());
    const roster = await rosterOf("only-new.db");
    expect(new Set(roster).size).toBe(roster.length);
    expect(roster.sort()).toEqual((await rosterOf("only-new-baseline.db")).sort());
    // Every page once, plus at most the pages the killed worker had requested but not stored.
    const paid = searchRequests() - mark;
    expect(paid).toBeGreaterThanOrEqual(basePages);
    expect(paid).toBeLessThanOrEqual(basePages + 2);
    second.child.kill("SIGTERM");
    expect((await second.exited).code).toBe(0);
  }, 180_000);

  it("--no-wait prints the job id; SIGTERM lets a worker finish its steps in flight and exit 0", async () => {
    const queue = uniqueQueue("term");
    const common = ["--db", "shared2.db", "--redis", REDIS_URL, "--queue", queue];
    const before = searchRequests();
    const queued = await cli(["search", ...KEYWORDS, ...common, "--target", "10000", "--no-wait"]);
    expect(queued.code).toBe(0);
    const jobId = queued.stdout.trim();
    expect(jobId).toMatch(/^[0-9a-f-]{36}$/);
    expect(searchRequests()).toBe(before); // nobody ran it yet

    const worker = start(["worker", ...common, "--concurrency", "2"]);
    await until(() => searchRequests() >= before + 3, "the worker to be mid-job");
    worker.child.kill("SIGTERM");
    const exit = await worker.exited;
    expect(exit.code).toBe(0);
    expect(worker.output().stderr).toContain("SIGTERM: finishing the steps in flight");
    const paidBeforeStop = searchRequests() - before;

    // Its steps were committed, not abandoned: a new worker finishes the job paying each page once.
    const next = start(["worker", ...common, "--concurrency", "2"]);
    await until(() => next.output().stderr.includes(`job ${jobId} completed`), "the second worker to finish the job", 40_000);
    expect(searchRequests() - before).toBe(baselinePages);
    expect(paidBeforeStop).toBeLessThan(baselinePages);
    const shown = await cli(["jobs", "export", jobId, "--db", "shared2.db", "--format", "json", "--out", "term.json"]);
    expect(shown.code).toBe(0);
    expect(await creatorsIn("term.json")).toEqual(baseline);
    next.child.kill("SIGTERM");
    expect((await next.exited).code).toBe(0);
  }, 150_000);

  it("refuses bad usage with one line and exit code 2", async () => {
    const [noRedis, badUrl, sandboxed, noWait] = await Promise.all([
      cli(["worker", "--db", "x.db", "--redis", "redis://127.0.0.1:1"]),
      cli(["worker", "--db", "x.db", "--redis", "http://127.0.0.1:6379"]),
      cli(["search", "x", "--sandbox", "--redis", REDIS_URL]),
      cli(["search", "x", "--no-wait"]),
    ]);
    expect(noRedis.code).toBe(2);
    expect(noRedis.stderr.trim()).toMatch(/^error: Cannot connect to Redis at 127\.0\.0\.1:1\/0/);
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toMatch(/redis:\/\//);
    expect(sandboxed.code).toBe(2);
    expect(sandboxed.stderr).toMatch(/--sandbox runs the API inside this process/);
    expect(noWait.code).toBe(2);
    expect(noWait.stderr).toMatch(/--no-wait needs --redis/);
  }, 150_000);
});
