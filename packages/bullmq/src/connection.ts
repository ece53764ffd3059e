import { Redis, type RedisOptions } from "ioredis";
import { ConfigurationError } from "@creatorsearch/core";
import { type ConnectionMonitor, type RedisConnectionChange, monitorConnection } from "./outage.js";
import { redactRedisUrl } from "./redact.js";

/** How the queue reaches Redis: a URL, ioredis options, or an ioredis client you own. */
export type RedisConnection = { url: string; connection?: undefined } | { connection: RedisOptions | Redis; url?: undefined };

/** How the adapter's clients ride out a Redis outage. */
export interface ReconnectSettings {
  /** Longest wait between two reconnect attempts, in ms. */
  maxDelayMs: number;
  /** Reconnect attempts an enqueue waits through before it rejects (the producer's `maxRetriesPerRequest`). */
  enqueueRetries: number;
  /** Told when a client loses Redis and when it has it back. */
  onChange: (change: RedisConnectionChange) => void;
}

/** The two clients BullMQ needs, and which of them this adapter must close. */
export interface Connections {
  /** For `Queue` (enqueue, rate limit): waits out a short outage, then fails (bounded). */
  producer(): Redis;
  /** For `Worker`: blocking commands never time out, and commands wait for the reconnect. */
  worker(): Redis;
  /** Calls `listener` each time the worker client is back after an outage; returns the unsubscribe. */
  onWorkerRestored(listener: () => void): () => void;
  /** Resolves once the producer client is connected; rejects with a `ConfigurationError` after `timeoutMs`. */
  ready(timeoutMs: number): Promise<void>;
  /**
   * Quits the clients this adapter created (never a client the caller passed in). A client that
   * is not connected is disconnected instead, which fails the commands waiting for it at once.
   */
  close(): Promise<void>;
  /** Drops the clients this adapter created at once: every command waiting on them fails. */
  disconnect(): void;
}

/**
 * Whether `value` is an ioredis client (or cluster) rather than options. Told by its methods, as
 * BullMQ does, not `instanceof`: the caller's ioredis may be another copy or major (5 or 6) than
 * the one this package resolves.
 */
export function isRedisClient(value: unknown): value is Redis {
  const v = value as Record<string, unknown> | null;
  return typeof v === "object" && v !== null && ["connect", "disconnect", "duplicate"].every((name) => typeof v[name] === "function");
}

/** Exponential reconnect delay from 100 ms, capped: a restarted Redis is found within `maxDelayMs`. */
export const reconnectDelay = (maxDelayMs: number) => (attempt: number) => Math.min(100 * 2 ** Math.max(0, attempt - 1), maxDelayMs);

/**
 * Opens Redis clients with the settings of BullMQ's production guide, plus bounded waiting:
 * - workers get `maxRetriesPerRequest: null`: a worker waits out an outage instead of crashing;
 * - producers keep ioredis's offline queue but with `maxRetriesPerRequest: enqueueRetries`: an
 *   enqueue during a Redis restart waits for the reconnect and goes through, and one during a
 *   long outage rejects after that many reconnect attempts (the engine's `recoverStalled()` then
 *   queues the step again from storage, which is the source of truth);
 * - both reconnect with an exponential delay capped at `maxDelayMs` (ioredis's `retryStrategy`).
 * Clients are created on first use; their `error` events are handled (see {@link monitorConnection}).
 */
export function openConnections(options: RedisConnection, settings: ReconnectSettings): Connections {
  const owned: Redis[] = [];
  const monitors: ConnectionMonitor[] = [];
  let producer: Redis | undefined;
  let worker: Redis | undefined;
  let where = "redis";
  const retryStrategy = reconnectDelay(settings.maxDelayMs);
  const create = (role: "producer" | "worker", clientSettings: RedisOptions): Redis => {
    let client: Redis;
    if (options.url !== undefined) {
      if (!/^rediss?:\/\//.test(options.url)) {
        throw new ConfigurationError(`Redis url must start with redis:// or rediss:// (got "${redactRedisUrl(options.url)}")`);
      }
      client = new Redis(options.url, { retryStrategy, ...clientSettings });
      owned.push(client);
    } else if (isRedisClient(options.connection)) {
      // A client the caller owns, with its own settings: BullMQ duplicates it for blocking
      // commands; we watch it but never quit it.
      client = options.connection as Redis;
    } else if (options.connection) {
      client = new Redis({ retryStrategy, ...options.connection, ...clientSettings });
      owned.push(client);
    } else {
      throw new ConfigurationError("bullmqQueue needs `url` or `connection`");
    }
    where = addressOf(client);
    monitors.push(monitorConnection(client, { role, address: where, onChange: settings.onChange }));
    return client;
  };
  const getProducer = () => (producer ??= create("producer", { maxRetriesPerRequest: settings.enqueueRetries }));
  const getWorker = () => (worker ??= create("worker", { maxRetriesPerRequest: null }));
  return {
    producer: getProducer,
    worker: getWorker,
    onWorkerRestored(listener) {
      getWorker();
      return monitors.find((m) => m.role === "worker")!.onRestored(listener);
    },
    async ready(timeoutMs) {
      const client = getProducer();
      if (client.status === "ready") return;
      let timer: ReturnType<typeof setTimeout> | undefined;
      let lastError: unknown;
      const onError = (error: unknown) => (lastError = error);
      client.on("error", onError);
      try {
        await Promise.race([
          new Promise<void>((resolve) => client.once("ready", () => resolve())),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => {
              const reason = lastError instanceof Error ? `: ${redactRedisUrl(lastError.message)}` : "";
              reject(new ConfigurationError(`Cannot connect to Redis at ${where} within ${timeoutMs} ms${reason}`));
            }, timeoutMs);
          }),
        ]);
      } finally {
        clearTimeout(timer);
        client.off("error", onError);
      }
    },
    async close() {
      for (const monitor of monitors.splice(0)) monitor.stop();
      await Promise.all(owned.splice(0).map((c) => (c.status === "ready" ? c.quit().catch(() => c.disconnect()) : c.disconnect())));
    },
    disconnect() {
      for (const client of owned) client.disconnect();
    },
  };
}

/** `host:port/db` of a client: what logs and errors name, never the password. */
function addressOf(client: Redis): string {
  const { host, port, db, path } = client.options as RedisOptions & { path?: string };
  return path ? `${path}/${db ?? 0}` : `${host ?? "localhost"}:${port ?? 6379}/${db ?? 0}`;
}
