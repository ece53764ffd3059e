/**
 * Remembers the signatures already accepted, so a captured request cannot be sent again.
 * Every QStash delivery (retries included) carries a fresh JWT with its own `jti`; a JWT is only
 * valid until its `exp` (5 minutes after signing), so an id needs remembering just that long.
 */
export interface ReplayStore {
  /**
   * Records `id` until `expiresAt`. Resolves `true` the first time, `false` when `id` is already
   * recorded and not expired. Must be atomic across every process that shares the store
   * (Redis: `SET key 1 NX PXAT <expiresAt>` and test for `"OK"`).
   */
  remember(id: string, expiresAt: Date): Promise<boolean>;
}

/** Options of {@link memoryReplayStore}. */
export interface MemoryReplayStoreOptions {
  /** Clock, for tests. */
  now?: () => number;
}

/**
 * A {@link ReplayStore} in this process's memory. Enough for one server; with several replicas
 * behind a load balancer use a shared store (Redis), or a replay sent to another replica passes.
 */
export function memoryReplayStore(options: MemoryReplayStoreOptions = {}): ReplayStore {
  const now = options.now ?? Date.now;
  const seen = new Map<string, number>(); // id -> expiry (ms)
  let nextSweep = 0;
  return {
    async remember(id, expiresAt) {
      const t = now();
      // Sweep at most once a second: memory stays bounded by the signatures of the last JWT lifetime.
      if (t >= nextSweep) {
        for (const [key, expiry] of seen) if (expiry <= t) seen.delete(key);
        nextSweep = t + 1000;
      }
      const expiry = seen.get(id);
      if (expiry !== undefined && expiry > t) return false;
      seen.set(id, expiresAt.getTime());
      return true;
    },
  };
}

/**
 * The one Redis command {@link redisReplayStore} runs, `SET key value PXAT ms NX`, as ioredis
 * spells it (`new Redis(url)` fits as is). Resolves `"OK"` when the key was set, `null` when it
 * already existed.
 */
export interface RedisSetIfAbsent {
  set(key: string, value: string, expiry: "PXAT", unixTimeMs: number, condition: "NX"): Promise<string | null>;
}

/** Options of {@link redisReplayStore}. */
export interface RedisReplayStoreOptions {
  /** Key prefix. Default `"creatorsearch:qstash:jti:"`. */
  prefix?: string;
}

/**
 * A {@link ReplayStore} in Redis (6.2 or later), shared by every replica and serverless instance
 * that uses the same Redis: one `SET <prefix><jti> 1 PXAT <exp> NX` per delivery, so each key
 * disappears when its signature expires. Without a shared store, each serverless instance only
 * remembers what it saw itself.
 *
 * @example
 * ```typescript
 * import { Redis } from "ioredis";
 * qstashQueue({ callbackUrl, replayStore: redisReplayStore(new Redis(process.env.REDIS_URL!)) });
 * ```
 */
export function redisReplayStore(redis: RedisSetIfAbsent, options: RedisReplayStoreOptions = {}): ReplayStore {
  const prefix = options.prefix ?? "creatorsearch:qstash:jti:";
  return {
    async remember(id, expiresAt) {
      return (await redis.set(`${prefix}${id}`, "1", "PXAT", expiresAt.getTime(), "NX")) === "OK";
    },
  };
}
