/**
 * The sandbox server in a process of its own for the QStash bench, so generating pages does not
 * compete with the delivery path for the bench process's CPU. Prints its URL, stops on SIGTERM.
 */
import { startSandboxServer } from "@creatorsearch/sandbox";

const server = await startSandboxServer({ port: 0, resultsPerQuery: 140, pageSize: 30, latencyMs: Number(process.env.BENCH_LATENCY_MS ?? 100) });
process.stdout.write(`${server.url}\n`);
process.once("SIGTERM", () => void server.close().then(() => process.exit(0)));
