import { EXIT } from "../errors.js";
import type { CliIO } from "../io.js";
import { openRuntime } from "../runtime.js";

export interface WorkerOptions {
  db?: string;
  redis: string;
  queue: string;
  concurrency: number;
  rate?: number;
  leaseMs?: number;
  stalledMs?: number;
  /** How long SIGTERM waits for the steps in flight before handing them back. */
  shutdownTimeout: number;
}

/** Signals that end a worker gracefully. */
const STOP_SIGNALS = ["SIGTERM", "SIGINT"] as const;

/**
 * `creatorsearch worker --db <file> --redis <url>`: runs job steps from BullMQ until SIGTERM or
 * SIGINT, then stops taking steps, lets the ones in flight finish for up to `--shutdown-timeout`
 * ms, hands back those still running (lease released, message back to waiting, so another
 * worker takes them at once) and exits 0. A deployment scales by starting more workers on the
 * same Redis and database; a worker killed outright loses nothing (its steps are handed to
 * another worker once their lock expires).
 */
export async function workerCommand(io: CliIO, options: WorkerOptions): Promise<number> {
  const runtime = await openRuntime(io, {
    db: options.db,
    redis: {
      url: options.redis,
      role: "worker",
      queueName: options.queue,
      concurrency: options.concurrency,
      ...(options.rate ? { ratePerSecond: options.rate } : {}),
      ...(options.stalledMs ? { stalledMs: options.stalledMs } : {}),
    },
    ...(options.leaseMs ? { leaseMs: options.leaseMs } : {}),
    shutdownTimeoutMs: options.shutdownTimeout,
  });
  const { cs } = runtime;
  cs.events.on("job.finished", ({ job }) => io.stderr.write(`job ${job.id} ${job.status} (${job.stopReason}): ${job.processedResults} creators\n`));
  cs.events.on("step.failed", ({ message, error, willRetry }) =>
    io.stderr.write(`step ${message.jobId}/${message.chain}/${message.step} failed${willRetry ? " (will retry)" : ""}: ${error instanceof Error ? error.message : String(error)}\n`),
  );

  const stop = new Promise<string>((resolve) => {
    for (const signal of STOP_SIGNALS) process.once(signal, () => resolve(signal));
  });
  io.stderr.write(`worker ${process.pid} ready: queue ${options.queue}, ${options.concurrency} steps at once, database ${runtime.dbFile}\n`);
  const signal = await stop;
  const seconds = (options.shutdownTimeout / 1000).toFixed(options.shutdownTimeout % 1000 ? 1 : 0);
  io.stderr.write(`${signal}: finishing the steps in flight (up to ${seconds} s, then they are handed back to the queue)...\n`);
  await runtime.close(); // bounded: see the engine's shutdownTimeoutMs
  io.stderr.write("worker stopped\n");
  return EXIT.ok;
}
