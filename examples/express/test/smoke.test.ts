/**
 * The Express example as it runs in production: the API process (`src/server.ts`) and a
 * separate `creatorsearch worker` process, on a real Postgres and a real Redis, against the
 * sandbox API over HTTP. One job goes from POST to completed, run by the worker alone.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parse } from "csv-parse/sync";
import { type SandboxServer, startSandboxServer } from "@creatorsearch/sandbox";
import { Redis } from "ioredis";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const PG_URL = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const example = join(import.meta.dirname, "..");
const cliBin = join(example, "..", "..", "packages", "cli", "src", "bin.ts");
const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
const run = randomUUID().slice(0, 8);
const SCHEMA = `example_express_${run}`;
const QUEUE = `example-express-${run}`;
const USER = { "x-user-id": "smoke_user" };

/** Both services must be up; under CI=true a missing one fails the suite instead of skipping it. */
async function servicesUp(): Promise<boolean> {
  const sql = postgres(PG_URL, { max: 1, connect_timeout: 3, onnotice: () => {} });
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await sql`select 1`;
    await redis.connect();
    await redis.ping();
    return true;
  } catch (error) {
    if (process.env.CI === "true") throw new Error(`Postgres (${PG_URL}) and Redis (${REDIS_URL}) are required under CI=true: ${String(error)}`);
    return false;
  } finally {
    await sql.end();
    redis.disconnect();
  }
}

interface Proc {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the first match of `pattern` in the output; rejects if the process exits first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
}

const procs: Proc[] = [];

function start(args: string[], env: NodeJS.ProcessEnv): Proc {
  const child = spawn(process.execPath, ["--conditions=dev-source", "--import", tsx, ...args], { cwd: example, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const listeners = new Set<() => void>();
  const onData = (d: Buffer) => {
    output += d;
    for (const l of listeners) l();
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  const proc: Proc = {
    child,
    output: () => output,
    waitFor: (pattern, timeoutMs = 60_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(output);
          if (match) done(() => resolve(match));
        };
        const onExit = () => done(() => reject(new Error(`process exited before printing ${pattern}:\n${output}`)));
        const timer = setTimeout(() => done(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms:\n${output}`))), timeoutMs);
        const done = (settle: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          child.off("close", onExit);
          settle();
        };
        listeners.add(check);
        child.once("close", onExit);
        check();
      }),
  };
  procs.push(proc);
  return proc;
}

async function stop(proc: Proc) {
  const { child } = proc;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("close", r));
  child.kill("SIGTERM");
  const killer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  await exited;
  clearTimeout(killer);
}

let up = false;
let sandbox: SandboxServer;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  up = await servicesUp();
  if (!up) return;
  sandbox = await startSandboxServer({ port: 0, latencyMs: 50 });
  const { SCRAPECREATORS_API_KEY: _k, SCRAPECREATORS_BASE_URL: _u, SUPABASE_JWT_SECRET: _s, ...clean } = process.env;
  env = { ...clean, NODE_ENV: "development", SCRAPECREATORS_API_KEY: "sandbox", SCRAPECREATORS_BASE_URL: sandbox.url, DATABASE_URL: `${PG_URL}?schema=${SCHEMA}`, REDIS_URL, QUEUE_NAME: QUEUE, PORT: "0" };
}, 60_000);

afterAll(async () => {
  await Promise.all(procs.map(stop));
  if (!up) return;
  await sandbox.close();
  const sql = postgres(PG_URL, { max: 1, onnotice: () => {} });
  await sql.unsafe(`drop schema if exists "${SCHEMA}" cascade`);
  await sql.end();
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`bull:${QUEUE}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
}, 60_000);

describe("examples/express: start-up errors", () => {
  it("exits 1 with one line naming the variable when DATABASE_URL or REDIS_URL is wrong", async () => {
    const base = { ...process.env, NODE_ENV: "development", PORT: "0" };
    for (const [env, message] of [
      [{ DATABASE_URL: "", REDIS_URL: REDIS_URL }, /^DATABASE_URL must be a postgres:\/\/ URL/],
      [{ DATABASE_URL: PG_URL, REDIS_URL: "http://127.0.0.1:6379" }, /^REDIS_URL must be a redis:\/\/ URL/],
    ] as const) {
      const proc = start(["src/server.ts"], { ...base, ...env });
      const code = await new Promise((r) => proc.child.once("close", r));
      expect(code).toBe(1);
      expect(proc.output().trim()).toMatch(message);
      expect(proc.output().trim().split("\n")).toHaveLength(1);
    }
  }, 60_000);
});

describe("examples/express: API + creatorsearch worker + Postgres + Redis", () => {
  it("runs one keyword job to completion in the worker process", async (ctx) => {
    if (!up) return ctx.skip();
    const api = start(["src/server.ts"], env);
    const base = `${(await api.waitFor(/listening on (http:\/\/\S+)\/api/))[1]}/api`;

    const health = await fetch(base.replace(/\/api$/, "/healthz"));
    expect(health.status).toBe(200);
    // Anonymous calls are refused; bad input is a 400 naming the field.
    expect((await fetch(`${base}/campaigns`)).status).toBe(401);
    const bad = await fetch(`${base}/campaigns`, { method: "POST", headers: { ...USER, "content-type": "application/json" }, body: JSON.stringify({ name: "" }) });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain("name");

    const campaign = (await (await fetch(`${base}/campaigns`, { method: "POST", headers: { ...USER, "content-type": "application/json" }, body: JSON.stringify({ name: "Smoke" }) })).json()) as { id: string };
    const started = await fetch(`${base}/scraping/tiktok`, {
      method: "POST",
      headers: { ...USER, "content-type": "application/json" },
      body: JSON.stringify({ campaignId: campaign.id, keywords: ["sourdough bread", "meal prep"], targetResults: 80 }),
    });
    expect(started.status).toBe(202);
    const { jobId } = (await started.json()) as { jobId: string };

    // The API process never runs steps (worker: false): nothing is fetched until a worker starts.
    expect(sandbox.sandbox.requestCount("/v1/tiktok/search/keyword")).toBe(0);
    const worker = start([cliBin, "worker", "--db", env.DATABASE_URL!, "--redis", REDIS_URL, "--queue", QUEUE], env);
    await worker.waitFor(/worker \d+ ready/);

    let job: { status: string; processedResults: number; targetResults: number; error: string | null } | undefined;
    const deadline = Date.now() + 120_000;
    for (;;) {
      const res = await fetch(`${base}/scraping/tiktok?jobId=${jobId}&limit=1`, { headers: USER });
      expect(res.status).toBe(200);
      job = (await res.json()) as typeof job;
      if (["completed", "error", "timeout", "cancelled"].includes(job!.status)) break;
      if (Date.now() > deadline) throw new Error(`job still ${job!.status} after 120 s\nAPI:\n${api.output()}\nworker:\n${worker.output()}`);
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(job!.status, job!.error ?? "").toBe("completed");
    expect(job!.processedResults).toBeGreaterThanOrEqual(80);
    expect(sandbox.sandbox.requestCount("/v1/tiktok/search/keyword")).toBeGreaterThan(0);

    // The CSV export (streamed by the API from Postgres) has one row per unique creator.
    const csv = await fetch(`${base}/jobs/${jobId}/export.csv`, { headers: USER });
    expect(csv.status).toBe(200);
    const rows = parse(await csv.text(), { columns: true }) as Record<string, string>[];
    expect(rows.length).toBe(job!.processedResults);
    // Another user gets a 404, as for a job that does not exist.
    expect((await fetch(`${base}/scraping/tiktok?jobId=${jobId}`, { headers: { "x-user-id": "someone_else" } })).status).toBe(404);

    await stop(worker);
    expect(worker.child.exitCode).toBe(0);
  }, 300_000);
});
