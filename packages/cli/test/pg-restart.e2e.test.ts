/**
 * The database goes away in the middle of a job, on a cluster of this file's own (never the
 * shared server), with the real CLI in its own processes:
 * - `search --db postgres://...` (steps in-process) while the server is stopped, then started:
 *   says so in one line, goes on, and exits 0 with the job completed;
 * - two `worker --redis` processes and `search --redis` while `pg_ctl restart -m fast` runs: no
 *   worker crashes, no page is bought twice, and the job ends in seconds, not after a lease.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type SandboxServer, createSandbox, startSandboxServer } from "@creatorsearch/sandbox";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OwnPostgres, canRunOwnPostgres, startOwnPostgres } from "../../drizzle/test/support/own-postgres.js";
import { cleanEnv, cliNodeArgs } from "./support/run-cli.js";

const describeOwn = canRunOwnPostgres("cli pg-restart") ? describe : describe.skip;
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

async function redisUp(): Promise<boolean> {
  const client = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch (error) {
    if (process.env.CI === "true") throw new Error(`Redis is required under CI=true but ${REDIS_URL} is unreachable: ${String(error)}`);
    console.warn(`[cli pg-restart] SKIPPED the BullMQ case: Redis is unreachable at ${REDIS_URL}`);
    return false;
  } finally {
    client.disconnect();
  }
}
const redis = await redisUp();

/** Runs the CLI in its own process; `output()` is what it printed so far. */
function start(args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, cliNodeArgs(args), { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d));
  child.stderr!.on("data", (d: Buffer) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("close", (code, signal) => resolve({ code, signal })));
  let over = false;
  void exited.then(() => (over = true));
  return { child, exited, output: () => ({ stdout, stderr }), running: () => !over };
}

async function until(done: () => boolean, what: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describeOwn("search rides out a database restart while it waits", () => {
  let pg: OwnPostgres;
  let sandbox: SandboxServer;
  let dir: string;
  /** Every upstream request, by path and query: a page bought twice is the same request twice. */
  const requests: string[] = [];
  const queueName = `cs-e2e-pg-restart-${process.pid}-${Date.now().toString(36)}`;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "cs-cli-pg-restart-"));
    // Slow pages: the job is still running when the database goes away.
    const upstream = createSandbox({ latencyMs: 250, resultsPerQuery: 2_000 });
    const counted = Object.assign(Object.create(upstream), {
      fetch: (request: Request) => {
        const url = new URL(request.url);
        requests.push(`${url.pathname}${url.search}`);
        return upstream.fetch(request);
      },
    });
    [pg, sandbox] = await Promise.all([startOwnPostgres(), startSandboxServer({ port: 0, sandbox: counted })]);
  }, 120_000);
  afterAll(async () => {
    if (redis) {
      const client = new Redis(REDIS_URL);
      const keys = await client.keys(`bull:${queueName}:*`);
      if (keys.length) await client.del(...keys);
      client.disconnect();
    }
    await sandbox?.close();
    await pg?.destroy();
    await rm(dir, { recursive: true, force: true });
  }, 60_000);

  it("says so in one line, goes on, and exits 0 with the job completed", async () => {
    const child = spawn(process.execPath, cliNodeArgs(["search", "soup", "bread", "--target", "150", "--db", pg.url, "--json"]), {
      cwd: dir,
      env: cleanEnv({ SCRAPECREATORS_API_KEY: "sandbox", SCRAPECREATORS_BASE_URL: sandbox.url }),
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
    const progressed = new Promise<void>((resolve) =>
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk;
        if (/^progress /m.test(stderr)) resolve();
      }),
    );
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    const killer = setTimeout(() => child.kill("SIGKILL"), 100_000);
    try {
      await Promise.race([progressed, exited]);
      // Down for longer than a poll of the waiting command (500 ms), so its wait meets the outage.
      await pg.stop();
      await new Promise((r) => setTimeout(r, 2_000));
      await pg.start();
      const code = await exited;

      expect(stderr).not.toMatch(/TypeError|Unhandled|uncaught/i);
      expect(stderr.match(/^warning: .*(Postgres unavailable|Cannot connect to Postgres).*; retrying for up to \d+ s$/gm)).toHaveLength(1);
      expect(stderr).toMatch(/^database is back; going on$/m);
      expect(code).toBe(0);
      const { job } = JSON.parse(stdout) as { job: { status: string; processedResults: number } };
      expect(job.status).toBe("completed");
      expect(job.processedResults).toBeGreaterThanOrEqual(150);
    } finally {
      clearTimeout(killer);
      child.kill("SIGKILL");
    }
  }, 120_000);

  it.skipIf(!redis)("two BullMQ workers: no crash, each page bought once, the job done in seconds, not after a lease", async () => {
    const env = cleanEnv({ SCRAPECREATORS_API_KEY: "sandbox", SCRAPECREATORS_BASE_URL: sandbox.url });
    const common = ["--db", pg.url, "--redis", REDIS_URL, "--queue", queueName];
    // A lease far longer than the restart: a job done well within it did not wait one out.
    const workers = [1, 2].map(() => start(["worker", ...common, "--concurrency", "2", "--lease-ms", "60000"], dir, env));
    const children = workers.map((w) => w.child);
    try {
      for (const w of workers) await until(() => w.output().stderr.includes("ready"), "a worker to start");
      requests.length = 0;
      const began = Date.now();
      const search = start(["search", "soup", "bread", "cheese", "olives", ...common, "--target", "300", "--json"], dir, env);
      children.push(search.child);
      await until(() => requests.length >= 4 || !search.running(), "the job to be under way");
      await pg.restart();
      const result = await search.exited;
      const elapsed = Date.now() - began;

      for (const w of workers) {
        expect(w.running(), w.output().stderr).toBe(true);
        expect(w.output().stderr).not.toMatch(/TypeError|Unhandled|uncaught/i);
      }
      expect(result.code, search.output().stderr).toBe(0);
      const { job } = JSON.parse(search.output().stdout) as { job: { status: string; apiCalls: number; processedResults: number } };
      expect(job.status).toBe("completed");
      expect(job.processedResults).toBeGreaterThanOrEqual(300);
      expect(requests.length).toBe(job.apiCalls);
      expect(new Set(requests).size).toBe(requests.length);
      expect(elapsed).toBeLessThan(45_000);
      // The logs carry no raw page: no line near the size of one.
      for (const w of workers) for (const line of w.output().stderr.split("\n")) expect(line.length).toBeLessThan(2_000);
    } finally {
      for (const child of children) child.kill("SIGKILL");
    }
  }, 150_000);
});
