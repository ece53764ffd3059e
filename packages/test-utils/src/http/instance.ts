import { type CreatorSearch, createCreatorSearch, devAuth, memoryStorage, scrapeCreatorsClient, tiktok } from "@creatorsearch/core";
import { type SandboxServer, startSandboxServer } from "@creatorsearch/sandbox";
import { signedPushQueue } from "./signed-queue.js";

export const WEBHOOK_SECRET = "mount-suite-secret";

/** What the mount suite serves: the HTTP layer over the sandbox API, memory storage and a signed push queue. */
export interface SuiteInstance {
  cs: CreatorSearch;
  sandbox: SandboxServer;
  queue: ReturnType<typeof signedPushQueue>;
  close(): Promise<void>;
}

export async function suiteInstance(): Promise<SuiteInstance> {
  // Latency keeps jobs running long enough to watch them and to disconnect mid-stream.
  const sandbox = await startSandboxServer({ port: 0, latencyMs: 40, pageSize: 10 });
  const queue = signedPushQueue(WEBHOOK_SECRET);
  const cs = createCreatorSearch({
    storage: memoryStorage(),
    queue,
    platforms: [tiktok({ client: scrapeCreatorsClient({ apiKey: "sandbox", baseUrl: sandbox.url }) })],
    recoverIntervalMs: 0,
    http: { authenticate: devAuth(), events: { pollMs: 100 }, maxBodyBytes: 16 * 1024, rateLimit: false },
  });
  return {
    cs,
    sandbox,
    queue,
    async close() {
      await cs.close();
      await sandbox.close();
    },
  };
}
