/**
 * Queue scaling: 200 jobs of 5 pages each against the sandbox server at 100 ms latency, on
 * BullMQ + Postgres, run by 1, 2 and 4 worker processes (`queue-worker.ts`, 4 steps each).
 * Each step waits 100 ms for its page, so the limit is `workers * concurrency / 100 ms` pages/s.
 * Target: at least 0.8x the limit at every worker count.
 *
 * `BENCH_QUEUE_JOBS` changes the number of jobs (default 200, as the issue asks). Each step also
 * pays its Postgres round trips, so on a busy machine the figures say more about the database and
 * the CPU than about the queue: the machine's load average is printed beside them.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { bullmqQueue } from "@creatorsearch/bullmq";
import { createCreatorSearch, tiktok } from "@creatorsearch/core";
import { postgresStorage } from "@creatorsearch/drizzle/pg";
import { startSandboxServer } from "@creatorsearch/sandbox";
import postgres from "postgres";
import { deleteQueueKeys } from "./queue-keys.js";

const JOBS = Number(process.env.BENCH_QUEUE_JOBS ?? 200);
const PAGES_PER_JOB = 5;
const LATENCY_MS = 100;
const CONCURRENCY = 4;
const WORKER_COUNTS = [1, 2, 4];
const PG_URL = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

function startWorker(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--conditions=dev-source", "--import", tsx, join(import.meta.dirname, "queue-worker.ts")], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => d.toString().includes("ready") && resolve(child));
    child.once("exit", (code) => reject(new Error(`bench worker exited with ${code} before it was ready`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

async function run(workers: number, sandboxUrl: string, runId: string): Promise<{ pages: number; ms: number; failed: number }> {
  const schema = `bench_queue_${runId}_${workers}`;
  const queueName = `bench-queue-${runId}-${workers}`;
  const storage = postgresStorage({ url: PG_URL, schema });
  await storage.ready(); // migrate once, before the workers start
  const queue = bullmqQueue({ url: REDIS_URL, queueName });
  // This process only starts jobs and watches them; the worker processes run the steps.
  const cs = createCreatorSearch({ storage, queue, platforms: [tiktok({ apiKey: "bench", baseUrl: sandboxUrl })], worker: false, recoverIntervalMs: 0 });
  const env = {
    BENCH_REDIS_URL: REDIS_URL,
    BENCH_QUEUE: queueName,
    BENCH_CONCURRENCY: String(CONCURRENCY),
    BENCH_PG_URL: PG_URL,
    BENCH_PG_SCHEMA: schema,
    BENCH_SANDBOX_URL: sandboxUrl,
  };
  const children = await Promise.all(Array.from({ length: workers }, () => startWorker(env)));
  try {
    const campaign = await cs.campaigns.create("bench", { name: "queue scaling" });
    const t0 = performance.now();
    const jobs = [];
    for (let i = 0; i < JOBS; i++) {
      jobs.push(await cs.jobs.start("bench", { campaignId: campaign.id, platform: "tiktok", keywords: [`queue bench ${runId} ${i}`], targetResults: 10_000 }));
    }
    // One query per poll, not one per job: the watcher must not load the database it measures.
    const deadline = Date.now() + 300_000;
    while ((await storage.listUnfinishedJobs({ limit: 1, offset: 0 })).length > 0) {
      if (Date.now() > deadline) throw new Error("queue scaling bench: jobs did not finish within 5 minutes");
      await new Promise((r) => setTimeout(r, 50));
    }
    const ms = performance.now() - t0;
    const done = await Promise.all(jobs.map((j) => cs.jobs.get("bench", j.id).then((x) => x!)));
    return {
      pages: done.reduce((sum, j) => sum + j.processedRuns, 0),
      ms,
      failed: done.filter((j) => j.status !== "completed").length,
    };
  } finally {
    await Promise.all(children.map(stop));
    await deleteQueueKeys(queue.queue);
    await cs.close();
    const sql = postgres(PG_URL, { max: 1, onnotice: () => undefined });
    await sql.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await sql.end();
  }
}

export async function queueScalingBench(): Promise<Record<string, string | number>> {
  // Every query yields exactly 5 pages of 30 (140 items), so each job ends `exhausted` after 5 steps.
  const server = await startSandboxServer({ port: 0, latencyMs: LATENCY_MS, resultsPerQuery: 140, pageSize: 30 });
  const runId = Date.now().toString(36);
  const figures: Record<string, string | number> = {
    job: `${JOBS} jobs x ${PAGES_PER_JOB} pages, ${LATENCY_MS} ms latency, BullMQ + Postgres, ${CONCURRENCY} steps per worker process`,
  };
  let worst = Infinity;
  try {
    for (const workers of WORKER_COUNTS) {
      const r = await run(workers, server.url, runId);
      const limit = (workers * CONCURRENCY * 1000) / LATENCY_MS;
      const rate = (r.pages / r.ms) * 1000;
      worst = Math.min(worst, rate / limit);
      figures[`${workers} worker(s) pages/s`] =
        `${rate.toFixed(1)} of ${limit} limit = ${(rate / limit).toFixed(2)}x (${r.pages} pages in ${(r.ms / 1000).toFixed(1)} s${r.failed ? `, ${r.failed} jobs not completed` : ""})`;
      if (r.failed || r.pages !== JOBS * PAGES_PER_JOB) worst = 0;
    }
  } finally {
    await server.close();
  }
  figures["machine"] = `${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)} at the end`;
  figures.target = ">= 0.80x the limit at every worker count";
  figures.result = worst >= 0.8 ? "PASS" : "FAIL";
  return figures;
}
