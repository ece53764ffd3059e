/**
 * The server side of `bench/http-polling.ts`, in its own process so neither the 200 pollers nor
 * the sandbox share its event loop: SQLite file + memory queue, served with `toNodeHandler`.
 * Prints `READY <url>` and runs until killed.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createCreatorSearch, devAuth, memoryQueue, scrapeCreatorsClient, tiktok } from "@creatorsearch/core";
import { toNodeHandler } from "@creatorsearch/core/node";
import { sqliteStorage } from "@creatorsearch/drizzle/sqlite";

const [dbFile, sandboxUrl] = [process.argv[2]!, process.argv[3]!];
const cs = createCreatorSearch({
  storage: sqliteStorage({ file: dbFile }),
  queue: memoryQueue({ concurrency: 32 }),
  platforms: [tiktok({ client: scrapeCreatorsClient({ apiKey: "sandbox", baseUrl: sandboxUrl, concurrency: 32 }) })],
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
  process.exit(0);
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
