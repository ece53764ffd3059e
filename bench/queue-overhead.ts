/**
 * BullMQ adapter overhead: N no-op messages through `bullmqQueue` (enqueue with an idempotency
 * key, deliver to a consumer that does nothing) vs raw BullMQ (`Queue.add` with a job id, a
 * `Worker` whose processor does nothing), same Redis, same concurrency, in one process.
 * Target: adapter >= 0.5x raw messages/s.
 */
import { bullmqQueue } from "@creatorsearch/bullmq";
import { stepKey } from "@creatorsearch/core";
import { loadavg } from "node:os";
import { Queue, Worker } from "bullmq";
import { deleteQueueKeys } from "./queue-keys.js";
import { median } from "./storage-fixtures.js";

const MESSAGES = 2000;
const CONCURRENCY = 8;
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const connection = () => {
  const url = new URL(REDIS_URL);
  return { host: url.hostname, port: Number(url.port || 6379) };
};

async function raw(name: string): Promise<number> {
  const queue = new Queue(name, { connection: { ...connection(), enableOfflineQueue: false }, defaultJobOptions: { removeOnComplete: true } });
  await queue.waitUntilReady();
  let done = 0;
  let resolve!: () => void;
  const all = new Promise<void>((r) => (resolve = r));
  const worker = new Worker(name, async () => {
    if (++done === MESSAGES) resolve();
  }, { connection: { ...connection(), maxRetriesPerRequest: null }, concurrency: CONCURRENCY });
  await worker.waitUntilReady();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: MESSAGES }, (_, i) => queue.add("step", { jobId: "bench", chain: "k0", step: i }, { jobId: `s-bench-${i}` })));
  await all;
  const ms = performance.now() - t0;
  await worker.close();
  await deleteQueueKeys(queue);
  await queue.close();
  return (MESSAGES / ms) * 1000;
}

async function adapter(name: string): Promise<number> {
  const queue = bullmqQueue({ url: REDIS_URL, queueName: name, concurrency: CONCURRENCY });
  let done = 0;
  let resolve!: () => void;
  const all = new Promise<void>((r) => (resolve = r));
  await queue.start({
    handle: async () => {
      if (++done === MESSAGES) resolve();
    },
    onFailed: async () => undefined,
  });
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: MESSAGES }, (_, i) => {
      const message = { jobId: "bench", chain: "k0", step: i };
      return queue.enqueue(message, { idempotencyKey: stepKey(message) });
    }),
  );
  await all;
  const ms = performance.now() - t0;
  await queue.worker!.close();
  await deleteQueueKeys(queue.queue);
  await queue.close();
  return (MESSAGES / ms) * 1000;
}

export async function queueOverheadBench(): Promise<Record<string, string | number>> {
  const run = Date.now().toString(36);
  const rounds = 3;
  const rawRates: number[] = [];
  const adapterRates: number[] = [];
  for (let i = 0; i < rounds; i++) {
    // Alternate so neither side always runs on a warmer Redis.
    rawRates.push(await raw(`bench-raw-${run}-${i}`));
    adapterRates.push(await adapter(`bench-adapter-${run}-${i}`));
  }
  const r = median(rawRates);
  const a = median(adapterRates);
  return {
    work: `${MESSAGES} no-op messages, concurrency ${CONCURRENCY}, one process, median of ${rounds}`,
    "raw BullMQ messages/s": r.toFixed(0),
    "bullmqQueue messages/s": a.toFixed(0),
    "adapter / raw": (a / r).toFixed(2),
    "rounds (raw / adapter)": `${rawRates.map((x) => x.toFixed(0)).join(", ")} / ${adapterRates.map((x) => x.toFixed(0)).join(", ")}; load average ${loadavg()[0]!.toFixed(1)}`,
    summary: `bullmqQueue / raw BullMQ ${(a / r).toFixed(2)} (${a.toFixed(0)} vs ${r.toFixed(0)} messages/s, median of ${rounds})`,
    target: ">= 0.50",
    result: a / r >= 0.5 ? "PASS" : "FAIL",
  };
}
