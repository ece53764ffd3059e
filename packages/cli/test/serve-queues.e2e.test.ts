/**
 * Every queue reachable from `creatorsearch serve`, as real processes: `--redis` with a
 * `creatorsearch worker` on a real Redis, and `--qstash-token` against the project's QStash
 * stand-in (a real HTTP server that signs and delivers to the webhook); and the flag checks.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TIKTOK_KEYWORD_SEARCH_PATH } from "@creatorsearch/core";
import { type QStashStandInServer, startQStashStandInServer } from "@creatorsearch/qstash/testing";
import { type SandboxServer, startSandboxServer } from "@creatorsearch/sandbox";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { cleanEnv, cliNodeArgs } from "./support/run-cli.js";
import { runInProcess } from "./support/run-in-process.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const SANDBOX = { resultsPerQuery: 90, pageSize: 30, latencyMs: 50, seed: "serve-queues" };

let dir: string;
let sandbox: SandboxServer;
const children = new Set<ChildProcess>();
const queues: string[] = [];

async function redisUp(): Promise<boolean> {
  const client = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await client.connect();
    return (await client.ping()) === "PONG";
  } catch (error) {
    if (process.env.CI === "true") throw new Error(`Redis is required under CI=true but ${REDIS_URL} is unreachable: ${String(error)}`);
    return false;
  } finally {
    client.disconnect();
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts a long-running CLI process; `output()` is what it printed so far. */
function start(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, cliNodeArgs(args), { cwd: dir, env: cleanEnv(env), stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) =>
    child.once("close", (code) => {
      children.delete(child);
      resolve(code);
    }),
  );
  return { child, exited, output: () => ({ stdout, stderr }) };
}

async function until<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Starts `serve`, resolves with its API base URL once it listens. */
async function serve(args: string[], env: Record<string, string> = {}) {
  const server = start(["serve", "--dev-auth", "--db", "serve.db", ...args], env);
  const url = await until(() => /listening on (http:\/\/\S+)/.exec(server.output().stdout)?.[1], `serve to listen (${server.output().stderr})`);
  return { ...server, url };
}

/** Starts a job through the HTTP API as user `ana` and polls it until it is finished. */
async function runJob(api: string) {
  const headers = { "x-user-id": "ana", "content-type": "application/json" };
  const campaign = await (await fetch(`${api}/campaigns`, { method: "POST", headers, body: JSON.stringify({ name: "Queues" }) })).json();
  const started = await fetch(`${api}/scraping/tiktok`, { method: "POST", headers, body: JSON.stringify({ campaignId: campaign.id, keywords: ["soup", "stew"], targetResults: 1000 }) });
  expect(started.status).toBe(202);
  const { jobId } = (await started.json()) as { jobId: string };
  const job = await until(async () => {
    const poll = (await (await fetch(`${api}/scraping/tiktok?jobId=${jobId}`, { headers })).json()) as {
      status: string;
      stopReason: string;
      processedResults: number;
      processedRuns: number;
    };
    return ["completed", "error", "timeout", "cancelled"].includes(poll.status) ? poll : undefined;
  }, "the job to finish");
  return job;
}

const uniqueQueue = (name: string) => {
  const queue = `cs-serve-${name}-${process.pid}-${Date.now().toString(36)}`;
  queues.push(queue);
  return queue;
};

const up = await redisUp();

describe("creatorsearch serve with a queue", () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "cs-serve-queues-"));
    sandbox = await startSandboxServer({ port: 0, ...SANDBOX });
  });
  afterEach(() => {
    for (const child of children) child.kill("SIGKILL");
  });
  afterAll(async () => {
    await sandbox?.close();
    if (up) {
      const redis = new Redis(REDIS_URL);
      for (const queue of queues) {
        const keys = await redis.keys(`bull:${queue}:*`);
        if (keys.length) await redis.del(...keys);
      }
      redis.disconnect();
    }
    await rm(dir, { recursive: true, force: true });
  });

  it.skipIf(!up)("--redis: serve queues the steps on BullMQ and a `creatorsearch worker` runs them to the end", async () => {
    const queue = uniqueQueue("redis");
    const api = { SCRAPECREATORS_API_KEY: "sandbox", SCRAPECREATORS_BASE_URL: sandbox.url };
    const server = await serve(["--redis", REDIS_URL, "--queue", queue]); // no API key: it only enqueues
    expect(server.output().stdout).toContain(`steps: BullMQ at 127.0.0.1:6379, queue ${queue}`);
    const before = sandbox.sandbox.requestCount(TIKTOK_KEYWORD_SEARCH_PATH);
    const worker = start(["worker", "--db", "serve.db", "--redis", REDIS_URL, "--queue", queue], api);
    const job = await runJob(server.url);
    expect(job).toMatchObject({ status: "completed", stopReason: "exhausted" });
    expect(job.processedResults).toBeGreaterThan(0);
    // Every page committed was paid once.
    expect(sandbox.sandbox.requestCount(TIKTOK_KEYWORD_SEARCH_PATH) - before).toBe(job.processedRuns);
    for (const p of [server, worker]) p.child.kill("SIGTERM");
    expect([await server.exited, await worker.exited]).toEqual([0, 0]);
  }, 90_000);

  describe("--qstash-token", () => {
    let qstash: QStashStandInServer;
    beforeAll(async () => {
      qstash = await startQStashStandInServer();
    });
    afterAll(async () => {
      await qstash?.close();
    });

    it("serve publishes the steps on QStash, which delivers them to its signed webhook until the job completes", async () => {
      const port = await freePort();
      const { token, currentSigningKey, nextSigningKey } = qstash.standIn.credentials;
      const server = await serve(["--port", String(port), "--qstash-token", token, "--qstash-url", qstash.url, "--public-url", `http://127.0.0.1:${port}`], {
        QSTASH_CURRENT_SIGNING_KEY: currentSigningKey,
        QSTASH_NEXT_SIGNING_KEY: nextSigningKey,
        SCRAPECREATORS_API_KEY: "sandbox",
        SCRAPECREATORS_BASE_URL: sandbox.url,
      });
      const webhook = `http://127.0.0.1:${port}/api/qstash/process-scraping`;
      expect(server.output().stdout).toContain(`steps: QStash, delivering to ${webhook}`);
      const before = sandbox.sandbox.requestCount(TIKTOK_KEYWORD_SEARCH_PATH);
      const job = await runJob(server.url);
      expect(job).toMatchObject({ status: "completed", stopReason: "exhausted" });
      expect(job.processedResults).toBeGreaterThan(0);
      expect(sandbox.sandbox.requestCount(TIKTOK_KEYWORD_SEARCH_PATH) - before).toBe(job.processedRuns);
      const delivered = qstash.standIn.deliveries.filter((d) => d.url === webhook);
      expect(delivered.length).toBeGreaterThanOrEqual(job.processedRuns);
      expect(delivered.every((d) => d.status === 200)).toBe(true);
      // A delivery not signed by QStash is refused: the route is public only to QStash.
      const forged = await fetch(webhook, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
      expect(forged.status).toBe(401);
      server.child.kill("SIGTERM");
      expect(await server.exited).toBe(0);
    }, 90_000);
  });

  it("refuses queue flags that do not fit together, in one line with exit code 2", async () => {
    const cases: [string[], RegExp][] = [
      [["--redis", REDIS_URL, "--qstash-token", "t", "--public-url", "http://x"], /^error: serve takes one queue: --redis .* or --qstash-token/],
      [["--qstash-token", "t"], /^error: --qstash-token needs --public-url/],
      [["--public-url", "http://127.0.0.1:3000"], /^error: --public-url needs --qstash-token/],
      [["--qstash-url", "http://127.0.0.1:8080"], /^error: --qstash-url needs --qstash-token/],
      [["--qstash-token", "t", "--public-url", "http://x"], /^error: --qstash-token needs the QStash signing keys: set QSTASH_CURRENT_SIGNING_KEY and QSTASH_NEXT_SIGNING_KEY$/],
      [["--qstash-token", "t", "--public-url", "ftp://x"], /--public-url must be an http:\/\/ or https:\/\/ URL/],
      [["--redis", REDIS_URL, "--sandbox"], /^error: --sandbox runs the API inside this process/],
      [["--shutdown-timeout", "soon"], /--shutdown-timeout must be a whole number/],
    ];
    for (const [args, message] of cases) {
      const result = await runInProcess(["serve", "--dev-auth", "--db", "x.db", ...args], { cwd: dir ?? tmpdir(), env: {} });
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr.trim().split("\n"), args.join(" ")).toHaveLength(1);
      expect(result.stderr.trim(), args.join(" ")).toMatch(message);
    }
  });
});
