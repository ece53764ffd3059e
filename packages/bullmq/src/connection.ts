import { Redis, type RedisOptions } from "ioredis";
import { ConfigurationError } from "@creatorsearch/core";

/** How the queue reaches Redis: a URL, ioredis options, or an ioredis client you own. */
export type RedisConnection = { url: string; connection?: undefined } | { connection: RedisOptions | Redis; url?: undefined };

/** The two clients BullMQ needs, and which of them this adapter must close. */
export interface Connections {
  /** For `Queue` (enqueue, rate limit): fails fast when Redis is down instead of buffering. */
  producer(): Redis;
  /** For `Worker`: blocking commands never time out. */
  worker(): Redis;
  /** Resolves once the producer client is connected; rejects with a `ConfigurationError` after `timeoutMs`. */
  ready(timeoutMs: number): Promise<void>;
  /** Quits the clients this adapter created (never a client the caller passed in). */
  close(): Promise<void>;
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

/**
 * Opens Redis clients with the settings of BullMQ's production guide: producers get
 * `enableOfflineQueue: false` (an enqueue during an outage throws at once, so the caller knows
 * the step was not queued), workers get `maxRetriesPerRequest: null` (a worker waits out an
 * outage instead of crashing). Clients are created on first use.
 */
export function openConnections(options: RedisConnection): Connections {
  const owned: Redis[] = [];
  let producer: Redis | undefined;
  let worker: Redis | undefined;
  const create = (settings: RedisOptions): Redis => {
    let client: Redis;
    if (options.url !== undefined) {
      if (!/^rediss?:\/\//.test(options.url)) {
        throw new ConfigurationError(`Redis url must start with redis:// or rediss:// (got "${options.url}")`);
      }
      client = new Redis(options.url, settings);
    } else if (isRedisClient(options.connection)) {
      // A client the caller owns: BullMQ duplicates it for blocking commands; we never quit it.
      return options.connection as Redis;
    } else if (options.connection) {
      client = new Redis({ ...options.connection, ...settings });
    } else {
      throw new ConfigurationError("bullmqQueue needs `url` or `connection`");
    }
    owned.push(client);
    return client;
  };
  const getProducer = () => (producer ??= create({ enableOfflineQueue: false }));
  return {
    producer: getProducer,
    worker: () => (worker ??= create({ maxRetriesPerRequest: null })),
    async ready(timeoutMs) {
      const client = getProducer();
      if (client.status === "ready") return;
      const { host, port, db } = client.options;
      const where = `${host}:${port}/${db ?? 0}`; // never the password
      let timer: ReturnType<typeof setTimeout> | undefined;
      let lastError: unknown;
      const onError = (error: unknown) => (lastError = error);
      client.on("error", onError);
      try {
        await Promise.race([
          new Promise<void>((resolve) => client.once("ready", () => resolve())),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => {
              const reason = lastError instanceof Error ? `: ${lastError.message}` : "";
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
      await Promise.all(owned.splice(0).map((c) => c.quit().catch(() => c.disconnect())));
    },
  };
}
