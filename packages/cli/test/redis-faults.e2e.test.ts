/**
 * Faults under real `creatorsearch worker` (and `serve`) processes, on a redis-server of the test's own (never
 * the shared one) and a SQLite file:
 * - Redis restarted mid-job (losing every key): the job completes in seconds, not after the 30 s
 *   stalled check, with no crash and every page paid once;
 * - SIGTERM while a step waits on an upstream that never answers: the worker exits 0 within its
 *   --shutdown-timeout, and another worker takes the step at once (lease released, message back
 *   to waiting) instead of after the 2-minute lease or the 30 s stalled check.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { type Server, createServer } from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TIKTOK_KEYWORD_SEARCH_PATH } from "@creatorsearch/core";
import { type SandboxServer, startSandboxServer } from "@creatorsearch/sandbox";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type OwnRedisServer, redisServerInstalled, startOwnRedisServer } from "../../bullmq/test/support/redis-server.js";
import { type CliResult, cleanEnv, cliNodeArgs, runCli } from "./support/run-cli.js";

const KEYWORDS = ["sourdough", "ramen"];
/** 5 pages per keyword at 300 ms each. */
const SANDBOX = { resultsPerQuery: 140, pageSize: 30, latencyMs: 300, seed: "redis-faults" };
const PAGES = 10;
/** The own Redis asks for a password: no output may show it. */
const PASSWORD = "not-to-be-printed-7f3a";

let dir: string;
let sandbox: SandboxServer;
let redis: OwnRedisServer;
const children = new Set<ChildProcess>();

const apiEnv = (baseUrl = sandbox.url) => cleanEnv({ SCRAPECREATORS_API_KEY: "sandbox", SCRAPECREATORS_BASE_URL: baseUrl });
const cli = (args: string[]): Promise<CliResult> => runCli(args, { cwd: dir, env: apiEnv(), timeoutMs: 60_000 });

function start(args: string[], env = apiEnv()) {
  const child = spawn(process.execPath, cliNodeArgs(args), { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  let stdout = "";
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  child.stdout!.on("data", (d) => (stdout += d));
  const exited = new Promise<number | null>((resolve) =>
    child.once("close", (code) => {
      children.delete(child);
      resolve(code);
    }),
  );
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

async function until(done: () => boolean, what: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const searchRequests = () => sandbox.sandbox.requestCount(TIKTOK_KEYWORD_SEARCH_PATH);

/** Queues a job for the workers and returns its id. */
async function queueJob(db: string, queue: string, keywords = KEYWORDS): Promise<string> {
  const queued = await cli(["search", ...keywords, "--db", db, "--redis", redis.url, "--queue", queue, "--target", "10000", "--no-wait"]);
  expect(queued.code, queued.stderr).toBe(0);
  return queued.stdout.trim();
}

async function jobOf(db: string, id: string, user = "cli") {
  const shown = await cli(["jobs", "show", id, "--db", db, "--json", "--user", user]);
  expect(shown.code, shown.stderr).toBe(0);
  return JSON.parse(shown.stdout) as { status: string; apiCalls: number; processedRuns: number; processedResults: number };
}

/** An upstream in front of the sandbox that, while `hang` is set, takes requests and never answers. */
async function hangingUpstream() {
  const state = { hang: true, hung: 0 };
  const server: Server = createServer((request, response) => {
    if (state.hang) {
      state.hung += 1;
      return; // never answers
    }
    void fetch(new URL(request.url!, sandbox.url), { headers: { "x-api-key": String(request.headers["x-api-key"] ?? "") } }).then(async (r) => {
      response.writeHead(r.status, { "content-type": r.headers.get("content-type") ?? "application/json" });
      response.end(Buffer.from(await r.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    state,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const installed = await redisServerInstalled();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cs-redis-faults-"));
  sandbox = await startSandboxServer({ port: 0, ...SANDBOX });
});
afterEach(() => {
  for (const child of children) child.kill("SIGKILL");
});
afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  await sandbox?.close();
  await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!installed)("workers when Redis restarts or a step hangs (own redis-server, real processes)", () => {
  beforeAll(async () => {
    redis = await startOwnRedisServer({ password: PASSWORD });
  });
  afterAll(async () => {
    await redis?.cleanup();
  });

  it("Redis restarted mid-job (its data lost): the job completes in seconds, no crash, every page paid once", async () => {
    const db = "restart.db";
    const queue = "restart";
    const worker = start(["worker", "--db", db, "--redis", redis.url, "--queue", queue, "--concurrency", "2"]);
    await until(() => worker.stderr().includes("ready"), "the worker to start");
    const before = searchRequests();
    const jobId = await queueJob(db, queue);

    await until(() => searchRequests() >= before + 3, "the worker to be mid-job");
    const restartedAt = Date.now();
    await redis.restart(500);
    await until(() => worker.stderr().includes(`job ${jobId} completed`), "the job to complete after the restart", 25_000);
    const afterRestartMs = Date.now() - restartedAt;
    console.info(`redis-faults: job completed ${afterRestartMs} ms after the Redis restart began`);
    expect(afterRestartMs).toBeLessThan(15_000); // the stalled check alone would take 30 s

    const job = await jobOf(db, jobId);
    expect(job).toMatchObject({ status: "completed", processedRuns: PAGES, apiCalls: PAGES });
    expect(searchRequests() - before).toBe(PAGES);
    // One line when Redis went away and one when it was back, per client, never the password.
    expect(worker.stderr().match(/redis worker connection to 127\.0\.0\.1:\d+\/0 lost/g)).toHaveLength(1);
    expect(worker.stderr().match(/redis worker connection to 127\.0\.0\.1:\d+\/0 restored after/g)).toHaveLength(1);
    expect(worker.stderr()).not.toContain(PASSWORD);
    expect(worker.child.exitCode).toBeNull(); // still running: no crash
    worker.child.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
  }, 90_000);

  it("SIGTERM with a step stuck upstream: the worker exits 0 within --shutdown-timeout and another takes the step at once", async () => {
    const db = "stuck.db";
    const queue = "stuck";
    const upstream = await hangingUpstream();
    try {
      const common = ["worker", "--db", db, "--redis", redis.url, "--queue", queue];
      // Default lease (2 min) and stalled check (30 s): only a hand-back lets the next worker in quickly.
      const stuck = start([...common, "--shutdown-timeout", "1000"], apiEnv(upstream.url));
      await until(() => stuck.stderr().includes("ready"), "the first worker to start");
      const before = searchRequests();
      const jobId = await queueJob(db, queue, ["sourdough"]);
      await until(() => upstream.state.hung === 1, "the step to wait on the upstream");

      const signalledAt = Date.now();
      stuck.child.kill("SIGTERM");
      expect(await stuck.exited).toBe(0);
      const shutdownMs = Date.now() - signalledAt;
      console.info(`redis-faults: worker with a stuck step exited ${shutdownMs} ms after SIGTERM (--shutdown-timeout 1000)`);
      expect(shutdownMs).toBeLessThan(6_000);
      expect(stuck.stderr()).toContain("up to 1 s, then they are handed back");
      expect(stuck.stderr()).toContain("worker stopped");

      const next = start(common);
      const nextAt = Date.now();
      await until(() => next.stderr().includes(`job ${jobId} completed`), "the second worker to finish the job", 25_000);
      const takeoverMs = Date.now() - nextAt;
      console.info(`redis-faults: the next worker finished the job ${takeoverMs} ms after it started`);
      expect(takeoverMs).toBeLessThan(15_000);
      const job = await jobOf(db, jobId);
      expect(job).toMatchObject({ status: "completed", processedRuns: 5 });
      expect(searchRequests() - before).toBe(5); // the hung request never reached (nor was paid to) the API
      next.child.kill("SIGTERM");
      expect(await next.exited).toBe(0);
    } finally {
      await upstream.close();
    }
  }, 90_000);
});

describe("serve on SIGTERM with a step stuck upstream", () => {
  it("exits 0 within --shutdown-timeout, leaving the job running for the next start", async () => {
    const upstream = await hangingUpstream();
    try {
      const server = start(["serve", "--dev-auth", "--port", "0", "--db", "serve-stuck.db", "--shutdown-timeout", "500"], apiEnv(upstream.url));
      await until(() => /listening on (http:\/\/\S+)/.test(server.stdout()), "serve to listen");
      const api = /listening on (http:\/\/\S+)/.exec(server.stdout())![1]!;
      const headers = { "x-user-id": "ana", "content-type": "application/json" };
      const campaign = (await (await fetch(`${api}/campaigns`, { method: "POST", headers, body: JSON.stringify({ name: "stuck" }) })).json()) as { id: string };
      const started = await fetch(`${api}/scraping/tiktok`, { method: "POST", headers, body: JSON.stringify({ campaignId: campaign.id, keywords: ["soup"] }) });
      expect(started.status).toBe(202);
      const { jobId } = (await started.json()) as { jobId: string };
      await until(() => upstream.state.hung === 1, "the step to wait on the upstream");

      const signalledAt = Date.now();
      server.child.kill("SIGTERM");
      expect(await server.exited).toBe(0);
      expect(Date.now() - signalledAt).toBeLessThan(5_000);
      const job = await jobOf("serve-stuck.db", jobId, "ana");
      expect(job.status).toBe("processing"); // handed back, not failed: the next start resumes it
    } finally {
      await upstream.close();
    }
  }, 60_000);
});
