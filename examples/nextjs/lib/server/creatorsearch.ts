import { type CreatorSearch, type QueueAdapter, type StorageAdapter, createCreatorSearch, imageProxy, instagram, memoryQueue, scrapeCreatorsClient, tiktok, youtube } from "@creatorsearch/core";
import { appAuthenticate } from "./auth";
import { type AppConfig, readConfig } from "./config";
import { sandboxImageUpstream } from "./sandbox-images";

/** What the API route needs: the SDK instance and how it was set up (for logs). */
export interface AppRuntime {
  cs: CreatorSearch;
  config: AppConfig;
  /** URL of the in-process sandbox API, or `null` with a real key. */
  sandboxUrl: string | null;
}

async function openStorage(config: AppConfig): Promise<StorageAdapter> {
  if (config.databaseUrl) {
    const { postgresStorage } = await import("@creatorsearch/drizzle/pg");
    return postgresStorage({ url: config.databaseUrl, ...(config.databaseSchema ? { schema: config.databaseSchema } : {}) });
  }
  const { mkdirSync } = await import("node:fs");
  const { dirname } = await import("node:path");
  mkdirSync(dirname(config.sqliteFile), { recursive: true });
  const { sqliteStorage } = await import("@creatorsearch/drizzle/sqlite");
  return sqliteStorage({ file: config.sqliteFile });
}

async function openQueue(config: AppConfig): Promise<QueueAdapter> {
  if (config.redisUrl) {
    const { bullmqQueue } = await import("@creatorsearch/bullmq");
    const queue = bullmqQueue({ url: config.redisUrl, queueName: config.queueName });
    await queue.ready(5000);
    return queue;
  }
  if (config.qstash) {
    const { qstashQueue } = await import("@creatorsearch/qstash");
    return qstashQueue({ token: config.qstash.token, callbackUrl: config.qstash.callbackUrl });
  }
  return memoryQueue({ concurrency: 4 });
}

async function open(): Promise<AppRuntime> {
  const config = readConfig();
  let sandboxUrl: string | null = null;
  let closeSandbox = async () => {};
  if (!config.apiKey) {
    const { startSandboxServer } = await import("@creatorsearch/sandbox");
    const sandbox = await startSandboxServer({ port: 0, latencyMs: config.sandboxLatencyMs });
    sandboxUrl = sandbox.url;
    closeSandbox = () => sandbox.close();
  }
  // One client for every platform, so they share its concurrency and rate limit.
  const client = scrapeCreatorsClient(sandboxUrl ? { apiKey: "sandbox", baseUrl: sandboxUrl } : { apiKey: config.apiKey! });
  const proxyOptions = sandboxUrl ? sandboxImageUpstream() : {};
  const cs = createCreatorSearch({
    storage: await openStorage(config),
    queue: await openQueue(config),
    platforms: [tiktok({ client }), instagram({ client }), youtube({ client })],
    worker: config.runWorker,
    ...(config.jobTimeoutMs ? { limits: { jobTimeoutMs: config.jobTimeoutMs } } : {}),
    http: {
      authenticate: appAuthenticate(config),
      imageProxy: (request) => imageProxy(request, proxyOptions),
    },
  });
  const close = cs.close.bind(cs);
  cs.close = async () => {
    await close();
    await closeSandbox();
  };
  console.log(
    `[creatorsearch] ${config.databaseUrl ? "Postgres" : `SQLite ${config.sqliteFile}`}, ${config.redisUrl ? "BullMQ" : config.qstash ? "QStash" : "in-memory queue"}, ${sandboxUrl ? `sandbox API at ${sandboxUrl}` : "ScrapeCreators API"}${config.runWorker ? "" : ", steps run by separate workers"}`,
  );
  return { cs, config, sandboxUrl };
}

const globalForApp = globalThis as unknown as { __creatorsearch?: Promise<AppRuntime> };

/**
 * The one SDK instance of this server process, opened on first use. Kept on `globalThis` so
 * Next's dev-mode reloads reuse it instead of opening a second database and queue.
 */
export function getRuntime(): Promise<AppRuntime> {
  globalForApp.__creatorsearch ??= open().catch((error) => {
    globalForApp.__creatorsearch = undefined;
    throw error;
  });
  return globalForApp.__creatorsearch;
}
