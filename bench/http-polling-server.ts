/**
 * The server side of `bench/http-polling.ts`, in its own process so neither the 200 pollers nor
 * the sandbox share its event loop: a SQLite file (`sqlite:<file>`) or a Postgres schema
 * (`postgres:<schema>` on the bench server) + memory queue, served with `toNodeHandler`.
 * Prints `READY <url>` and runs until killed. Over IPC it answers `eld-reset` / `eld-report`
 * with the delay of its own event loop (`perf_hooks.monitorEventLoopDelay`), so the figure is the
 * loop that serves the polls, not the bench's.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { createCreatorSearch, devAuth, memoryQueue, scrapeCreatorsClient, tiktok } from "@creatorsearch/core";
import { toNodeHandler } from "@creatorsearch/core/node";
import { postgresStorage } from "@creatorsearch/drizzle/pg";
import { sqliteStorage } from "@creatorsearch/drizzle/sqlite";
import { PG_URL } from "./storage-fixtures.js";

const [where, sandboxUrl] = [process.argv[2]!, process.argv[3]!];
const storage = where.startsWith("postgres:") ? postgresStorage({ url: PG_URL, schema: where.slice("postgres:".length), ...(process.env.HTTP_BENCH_PG_MAX ? { max: Number(process.env.HTTP_BENCH_PG_MAX) } : {}) }) : sqliteStorage({ file: where.slice("sqlite:".length) });
const CONCURRENCY = Number(process.env.HTTP_BENCH_CONCURRENCY ?? 32);
/** memoryQueue's `maxLoopDelayMs`: 50 as `creatorsearch serve` runs it; env HTTP_BENCH_MAX_LOOP_DELAY_MS (0: no back-pressure). */
const MAX_LOOP_DELAY_MS = Number(process.env.HTTP_BENCH_MAX_LOOP_DELAY_MS ?? 50);
const cs = createCreatorSearch({
  storage,
  queue: memoryQueue({ concurrency: CONCURRENCY, ...(MAX_LOOP_DELAY_MS > 0 ? { maxLoopDelayMs: MAX_LOOP_DELAY_MS } : {}) }),
  platforms: [tiktok({ client: scrapeCreatorsClient({ apiKey: "sandbox", baseUrl: sandboxUrl, concurrency: CONCURRENCY }) })],
  recoverIntervalMs: 0,
  limits: { maxApiCallsPerJob: 500 },
  http: { authenticate: devAuth(), rateLimit: false },
});
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
/** Server-side time of each GET, from its 'request' event to the last byte written: says whether the pollers' latency is spent here. */
let served: number[] = [];
/** CPU time of this process since the last `eld-reset` (user + system). */
let cpuSince = process.cpuUsage();
process.on("message", (message) => {
  if (message === "eld-reset") {
    loop.reset();
    served = [];
    cpuSince = process.cpuUsage();
  }
  if (message === "eld-report") {
    const ms = (ns: number) => ns / 1e6;
    const sorted = [...served].sort((a, b) => a - b);
    const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
    process.send?.({ p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max), mean: ms(loop.mean), served: { p50: at(50), p99: at(99), max: sorted.at(-1) ?? NaN }, cpuMs: (({ user, system }) => (user + system) / 1000)(process.cpuUsage(cpuSince)) });
  }
});
const handle = toNodeHandler(cs);
const server = createServer((req, res) => {
  const started = performance.now();
  if (req.method === "GET") res.once("finish", () => served.push(performance.now() - started));
  handle(req, res);
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  console.log(`READY http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
const stop = async () => {
  loop.disable();
  server.closeAllConnections();
  server.close();
  await cs.close();
  process.exit(0);
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
