/**
 * The server side of `bench/http-polling.ts`, in its own process so the 200 pollers do not share
 * its event loop: SQLite file + memory queue + the sandbox API, served with `toNodeHandler`.
 * Prints `READY <url>` and runs until killed.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createCreatorSearch, devAuth, memoryQueue, scrapeCreatorsClient, tiktok } from "@creatorsearch/core";
import { toNodeHandler } from "@creatorsearch/core/node";
import { sqliteStorage } from "@creatorsearch/drizzle/sqlite";
import { startSandboxServer } from "@creatorsearch/sandbox";

const [dbFile, latencyMs, resultsPerQuery] = [process.argv[2]!, Number(process.argv[3]), Number(process.argv[4])];
const sandbox = await startSandboxServer({ port: 0, latencyMs, resultsPerQuery });
const cs = createCreatorSearch({
  storage: sqliteStorage({ file: dbFile }),
  queue: memoryQueue({ concurrency: 32 }),
  platforms: [tiktok({ client: scrapeCreatorsClient({ apiKey: "sandbox", baseUrl: sandbox.url, concurrency: 32 }) })],
  recoverIntervalMs: 0,
  limits: { maxApiCallsPerJob: 500 },
  http: { authenticate: devAuth(), rateLimit: false },
});
const server = createServer(toNodeHandler(cs));
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  console.log(`READY http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
const stop = async () => {
  server.closeAllConnections();
  server.close();
  await cs.close();
  await sandbox.close();
  process.exit(0);
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
