/**
 * Serving under load, in one process as `creatorsearch serve` runs: the HTTP handler on a real
 * server, jobs on the memory queue against the sandbox API over loopback, and pollers reading
 * `after=` pages while the jobs run. Bounded (a few seconds) and with generous bounds only: the
 * latency targets live in `pnpm bench` ("HTTP polling"); this fails when the loop gets blocked.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { startSandboxServer } from "@creatorsearch/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCreatorSearch, devAuth, memoryQueue, memoryStorage, scrapeCreatorsClient, tiktok } from "../src/index.js";
import { toNodeHandler } from "../src/http/node.js";

const JOBS = 4;
const TARGET = 150;
const POLLERS_PER_JOB = 5;
/** Far above what a healthy loop shows (tens of ms): only a blocked loop gets there. */
const BLOCKED_LOOP_MS = 2000;

const TERMINAL = ["completed", "error", "timeout", "cancelled"];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let sandbox: Awaited<ReturnType<typeof startSandboxServer>>;
beforeAll(async () => {
  sandbox = await startSandboxServer({ port: 0, latencyMs: 20, resultsPerQuery: TARGET * 3 });
});
afterAll(async () => {
  await sandbox?.close();
});

describe("serving under load (one process: handler, memory queue, sandbox upstream)", () => {
  it("keeps answering polls while jobs run, and the loop is never blocked for long", async () => {
    const cs = createCreatorSearch({
      storage: memoryStorage(),
      queue: memoryQueue({ concurrency: 16, maxLoopDelayMs: 50 }),
      platforms: [tiktok({ client: scrapeCreatorsClient({ apiKey: "sandbox", baseUrl: sandbox.url, concurrency: 16 }) })],
      recoverIntervalMs: 0,
      http: { authenticate: devAuth(), rateLimit: false },
    });
    const server = createServer(toNodeHandler(cs));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
    const loop = monitorEventLoopDelay({ resolution: 10 });
    try {
      const jobs: { user: string; jobId: string }[] = [];
      for (let i = 0; i < JOBS; i++) {
        const headers = { "x-user-id": `user-${i}`, "content-type": "application/json" };
        const campaign = await (await fetch(`${api}/campaigns`, { method: "POST", headers, body: JSON.stringify({ name: `load ${i}` }) })).json();
        const started = await fetch(`${api}/scraping/tiktok`, { method: "POST", headers, body: JSON.stringify({ campaignId: campaign.id, keywords: [`load topic ${i}`], targetResults: TARGET }) });
        expect(started.status).toBe(202);
        jobs.push({ user: `user-${i}`, jobId: (await started.json()).jobId });
      }
      loop.enable();

      let running = true;
      const statuses: number[] = [];
      /** Polls answered while at least one job was still running. */
      let answeredDuringJobs = 0;
      const poller = async (job: (typeof jobs)[number]) => {
        let cursor = "0";
        let creators = 0;
        for (;;) {
          const response = await fetch(`${api}/scraping/tiktok?jobId=${job.jobId}&after=${cursor}&limit=100`, { headers: { "x-user-id": job.user } });
          statuses.push(response.status);
          if (response.status !== 200) return creators;
          const body = (await response.json()) as { status: string; nextCursor: string | null; hasMore: boolean; results: { creators: unknown[] }[] };
          if (running) answeredDuringJobs++;
          creators += body.results[0]?.creators.length ?? 0;
          cursor = body.nextCursor ?? cursor;
          if (TERMINAL.includes(body.status) && !body.hasMore) return creators;
          if (!body.hasMore) await sleep(25);
        }
      };
      const pollers = jobs.flatMap((job) => Array.from({ length: POLLERS_PER_JOB }, () => poller(job)));
      const finished = Promise.all(
        jobs.map(async (job) => {
          for (;;) {
            const state = await cs.jobs.get(job.user, job.jobId);
            if (state && TERMINAL.includes(state.status)) return state;
            await sleep(50);
          }
        }),
      ).finally(() => (running = false));

      const [states, read] = await Promise.all([finished, Promise.all(pollers)]);
      loop.disable();

      expect(states.map((s) => s.status)).toEqual(Array(JOBS).fill("completed"));
      expect(statuses.every((s) => s === 200)).toBe(true);
      // Every poller read every creator of its job, and the pollers were answered while jobs ran
      // (a blocked loop answers them only once the jobs are done).
      expect(read).toEqual(jobs.flatMap((_, i) => Array(POLLERS_PER_JOB).fill(states[i]!.processedResults)));
      expect(answeredDuringJobs).toBeGreaterThan(jobs.length * POLLERS_PER_JOB * 2);
      expect(loop.max / 1e6).toBeLessThan(BLOCKED_LOOP_MS);
    } finally {
      loop.disable();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await cs.close();
    }
  }, 60_000);
});
