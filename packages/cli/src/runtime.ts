import {
  ConfigurationError,
  type CreatorSearch,
  type MemoryQueue,
  type PlatformAdapter,
  type QueueAdapter,
  createCreatorSearch,
  instagram,
  memoryQueue,
  scrapeCreatorsClient,
  tiktok,
  youtube,
} from "@creatorsearch/core";
import type { SandboxServer } from "@creatorsearch/sandbox";
import { DEFAULT_DB, SANDBOX_API_KEY, STEP_CONCURRENCY, UPSTREAM_CONCURRENCY } from "./defaults.js";
import { UsageError } from "./errors.js";
import type { CliIO } from "./io.js";
import { type QStashCliOptions, type RedisQueueOptions, describeConnectionChange, openQStashQueue, openRedisQueue } from "./queue.js";
import { openCliStorage } from "./storage.js";

export interface RuntimeOptions {
  db?: string;
  sandbox?: boolean;
  /** Run steps in this process (false for read-only commands). */
  worker?: boolean;
  maxApiCalls?: number;
  /** Queue steps on BullMQ (Redis) instead of in this process: as a producer or as a worker. */
  redis?: RedisQueueOptions;
  /** How long a worker holds a step before another may take it over (engine `stepLeaseMs`). */
  leaseMs?: number;
  /** Publish steps on QStash, which delivers them to this process's webhook (`serve`). */
  qstash?: QStashCliOptions;
  /** How long closing waits for the steps in flight before handing them back (engine `shutdownTimeoutMs`). */
  shutdownTimeoutMs?: number;
  /** Steps the in-process queue runs at once. Default {@link STEP_CONCURRENCY}. */
  concurrency?: number;
  /** ScrapeCreators calls in flight at once (the client's limiter). Default {@link UPSTREAM_CONCURRENCY}. */
  upstreamConcurrency?: number;
  /** The in-process queue starts no step while the event loop is this many ms late (0 or unset: off). */
  maxLoopDelayMs?: number;
}

export interface Runtime {
  cs: CreatorSearch;
  /** Where the data is: the SQLite file, or the Postgres URL without its password. */
  dbFile: string;
  /** The in-process queue, when steps run here on it (for its size in debug output). */
  memoryQueue?: MemoryQueue;
  close(): Promise<void>;
}

/** Builds the CLI's embedded default: SQLite file + in-memory queue + ScrapeCreators (or the sandbox). */
export async function openRuntime(io: CliIO, options: RuntimeOptions): Promise<Runtime> {
  let sandbox: SandboxServer | undefined;
  let platforms: PlatformAdapter[] = [];
  if (options.worker !== false) {
    let apiKey = io.env.SCRAPECREATORS_API_KEY;
    let baseUrl = io.env.SCRAPECREATORS_BASE_URL;
    if (options.sandbox) {
      const { startSandboxServer } = await import("@creatorsearch/sandbox");
      sandbox = await startSandboxServer({ port: 0 });
      apiKey = SANDBOX_API_KEY;
      baseUrl = sandbox.url;
    } else if (!apiKey && options.redis?.role === "producer") {
      // This process only plans chains and enqueues them; the workers call the API with their key.
      apiKey = "unused-by-producer";
    } else if (!apiKey) {
      throw new UsageError(
        "No ScrapeCreators API key: set SCRAPECREATORS_API_KEY (and optionally SCRAPECREATORS_BASE_URL), or add --sandbox to try the free local sandbox.",
      );
    }
    try {
      const client = scrapeCreatorsClient({ apiKey, baseUrl, concurrency: options.upstreamConcurrency ?? UPSTREAM_CONCURRENCY });
      // One client: the platforms share its concurrency limit.
      platforms = [tiktok({ client }), instagram({ client }), youtube({ client })];
    } catch (error) {
      if (error instanceof ConfigurationError) throw new UsageError(error.message);
      throw error;
    }
  } else {
    // Read-only commands never call the API, but the engine needs the platform ids it may meet.
    platforms = [readOnlyPlatform("tiktok", "TikTok"), readOnlyPlatform("instagram", "Instagram"), readOnlyPlatform("youtube", "YouTube")];
  }
  // Redis first: a wrong --redis (or BullMQ not installed) fails before the database is opened.
  let queue: QueueAdapter;
  let memory: MemoryQueue | undefined;
  try {
    queue = options.redis
      ? await openRedisQueue({ onConnectionChange: (change) => io.stderr.write(`${describeConnectionChange(change)}\n`), ...options.redis })
      : options.qstash
        ? await openQStashQueue(options.qstash)
        : (memory = memoryQueue({ concurrency: options.concurrency ?? STEP_CONCURRENCY, ...(options.maxLoopDelayMs ? { maxLoopDelayMs: options.maxLoopDelayMs } : {}) }));
  } catch (error) {
    await sandbox?.close();
    throw error;
  }
  // --db: a SQLite file or a postgres:// URL; a wrong one fails here, in one line.
  let opened: Awaited<ReturnType<typeof openCliStorage>>;
  try {
    opened = await openCliStorage(io.cwd, options.db ?? DEFAULT_DB);
  } catch (error) {
    await queue.close();
    await sandbox?.close();
    throw error;
  }
  const { storage, location: dbFile } = opened;
  const cs = createCreatorSearch({
    storage,
    queue,
    platforms,
    worker: options.worker !== false && options.redis?.role !== "producer",
    // Worker processes heal what a crashed peer left between commit and enqueue.
    recoverIntervalMs: options.redis?.role === "worker" ? 30_000 : 0,
    ...(options.shutdownTimeoutMs !== undefined ? { shutdownTimeoutMs: options.shutdownTimeoutMs } : {}),
    limits: {
      ...(options.maxApiCalls ? { maxApiCallsPerJob: Math.max(options.maxApiCalls, 1) } : {}),
      ...(options.leaseMs ? { stepLeaseMs: options.leaseMs } : {}),
    },
  });
  return {
    cs,
    dbFile,
    ...(memory ? { memoryQueue: memory } : {}),
    async close() {
      await cs.close();
      await sandbox?.close();
    },
  };
}

function readOnlyPlatform(id: string, name: string): PlatformAdapter {
  const refuse = () => {
    throw new ConfigurationError("this command does not call platforms");
  };
  return { id, name, modes: ["keyword"], planChains: refuse, fetchPage: refuse, parsePage: refuse };
}
