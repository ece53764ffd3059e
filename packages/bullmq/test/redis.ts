import { Redis } from "ioredis";

/** The test Redis (BullMQ needs a real one); override with `REDIS_URL`. */
export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/**
 * Whether Redis answers. Under `CI=true` a missing Redis throws, so the run fails instead of
 * skipping the suites that need it.
 */
export async function redisReachable(): Promise<boolean> {
  const client = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1000, retryStrategy: () => null });
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch (error) {
    if (process.env.CI === "true") throw new Error(`Redis is required under CI=true but ${REDIS_URL} is unreachable: ${String(error)}`);
    return false;
  } finally {
    client.disconnect();
  }
}

/** Deletes every key under `prefix:` (what one test file's queues left behind). */
export async function deleteKeys(prefix: string): Promise<void> {
  const client = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = "0";
    do {
      const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      cursor = next;
      if (keys.length) await client.unlink(...keys);
    } while (cursor !== "0");
  } finally {
    client.disconnect();
  }
}

/** A Redis key prefix no other test run uses. */
export const uniquePrefix = (name: string) => `cstest-${name}-${process.pid}-${Date.now().toString(36)}`;
