import type { BullmqQueue, RedisConnectionChange } from "@creatorsearch/bullmq";
import { ConfigurationError, type QueueAdapter } from "@creatorsearch/core";
import { CLI_QUEUE_NAME } from "./defaults.js";
import { UsageError } from "./errors.js";
import { importOptional } from "./optional.js";

/** How a CLI process uses Redis: enqueue only (`search --redis`, `serve --redis`), or run steps (`worker`). */
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
  /** Where a lost or restored Redis connection is reported (one line each). */
  onConnectionChange?: (change: RedisConnectionChange) => void;
}

/** `serve` with QStash: it publishes steps, and QStash delivers them to this server's webhook. */
export interface QStashCliOptions {
  /** QStash token (`--qstash-token`). */
  token: string;
  /** QStash API URL (`--qstash-url`): a self-hosted or `npx @upstash/qstash-cli dev` server. */
  baseUrl?: string;
  /** The webhook's public URL, where QStash delivers. */
  callbackUrl: string;
  /** Where `QSTASH_CURRENT_SIGNING_KEY` / `QSTASH_NEXT_SIGNING_KEY` are read. */
  env: Record<string, string | undefined>;
}

/** The packages `--redis` needs; optional peer dependencies of the CLI. */
export const BULLMQ_PACKAGES = ["@creatorsearch/bullmq", "bullmq", "ioredis"] as const;
/** The package `--qstash-token` needs; an optional peer dependency of the CLI. */
export const QSTASH_PACKAGES = ["@creatorsearch/qstash"] as const;

/**
 * Opens the BullMQ queue and checks Redis answers, so a wrong URL is one clear line. BullMQ is
 * imported here, only when `--redis` is given; when it is not installed the `UsageError` says
 * how to install it.
 */
export async function openRedisQueue(options: RedisQueueOptions): Promise<BullmqQueue> {
  const { bullmqQueue } = await importOptional(() => import("@creatorsearch/bullmq"), "--redis", "BullMQ", BULLMQ_PACKAGES);
  let queue: BullmqQueue;
  // Until Redis first answers, ready() below reports the failure in one line: no outage lines.
  let connected = false;
  const report = options.onConnectionChange;
  try {
    queue = bullmqQueue({
      url: options.url,
      queueName: options.queueName ?? CLI_QUEUE_NAME,
      ...(options.concurrency ? { concurrency: options.concurrency } : {}),
      ...(options.ratePerSecond ? { limiter: { max: options.ratePerSecond, duration: 1000 } } : {}),
      ...(options.stalledMs ? { worker: { lockDuration: options.stalledMs, stalledInterval: options.stalledMs } } : {}),
      onConnectionChange: (change) => {
        if (connected) report?.(change);
      },
    });
  } catch (error) {
    if (error instanceof ConfigurationError) throw new UsageError(`--redis: ${error.message}`);
    throw error;
  }
  try {
    await queue.ready(5000);
    connected = true;
  } catch (error) {
    await queue.close().catch(() => undefined);
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  return queue;
}

/**
 * Opens the QStash queue (imported only for `--qstash-token`). Its option check (URLs, signing
 * keys from the environment, dev credentials refused in production) becomes one `UsageError` line.
 */
export async function openQStashQueue(options: QStashCliOptions): Promise<QueueAdapter> {
  const { qstashQueue } = await importOptional(() => import("@creatorsearch/qstash"), "--qstash-token", "QStash", QSTASH_PACKAGES);
  try {
    return qstashQueue({
      token: options.token,
      callbackUrl: options.callbackUrl,
      env: options.env,
      ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    });
  } catch (error) {
    if (error instanceof ConfigurationError) throw new UsageError(error.message);
    throw error;
  }
}

/** One stderr line per Redis outage and recovery; the address never carries the password. */
export function describeConnectionChange(change: RedisConnectionChange): string {
  return change.status === "lost"
    ? `redis ${change.role} connection to ${change.address} lost (${change.reason}); reconnecting`
    : `redis ${change.role} connection to ${change.address} restored after ${(change.downMs / 1000).toFixed(1)} s`;
}
