import type { BullmqQueue } from "@creatorsearch/bullmq";
import { ConfigurationError } from "@creatorsearch/core";
import { CLI_QUEUE_NAME } from "./defaults.js";
import { UsageError } from "./errors.js";
import { importOptional } from "./optional.js";

/** How a CLI process uses Redis: enqueue only (`search --redis`), or run steps (`worker`). */
export interface RedisQueueOptions {
  url: string;
  role: "producer" | "worker";
  /** BullMQ queue name. Default {@link CLI_QUEUE_NAME}. */
  queueName?: string;
  /** Steps this worker runs at once. */
  concurrency?: number;
  /** At most this many steps start per second across every worker (the ScrapeCreators rate). */
  ratePerSecond?: number;
  /** BullMQ lock duration and stalled-check interval: how soon a crashed worker's step moves on. */
  stalledMs?: number;
}

/** The packages `--redis` needs; optional peer dependencies of the CLI. */
export const BULLMQ_PACKAGES = ["@creatorsearch/bullmq", "bullmq", "ioredis"] as const;

/**
 * Opens the BullMQ queue and checks Redis answers, so a wrong URL is one clear line. BullMQ is
 * imported here, only when `--redis` is given; when it is not installed the `UsageError` says
 * how to install it.
 */
export async function openRedisQueue(options: RedisQueueOptions): Promise<BullmqQueue> {
  const { bullmqQueue } = await importOptional(() => import("@creatorsearch/bullmq"), "--redis", "BullMQ", BULLMQ_PACKAGES);
  let queue: BullmqQueue;
  try {
    queue = bullmqQueue({
      url: options.url,
      queueName: options.queueName ?? CLI_QUEUE_NAME,
      ...(options.concurrency ? { concurrency: options.concurrency } : {}),
      ...(options.ratePerSecond ? { limiter: { max: options.ratePerSecond, duration: 1000 } } : {}),
      ...(options.stalledMs ? { worker: { lockDuration: options.stalledMs, stalledInterval: options.stalledMs } } : {}),
    });
  } catch (error) {
    if (error instanceof ConfigurationError) throw new UsageError(`--redis: ${error.message}`);
    throw error;
  }
  try {
    await queue.ready(5000);
  } catch (error) {
    await queue.close().catch(() => undefined);
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  return queue;
}
