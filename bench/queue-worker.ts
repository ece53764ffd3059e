/**
 * One worker process of the queue scaling bench (`queue-scaling.ts` starts 1, 2 or 4 of them):
 * Postgres storage + BullMQ queue (`BENCH_STEPS` steps at once) + tiktok() against the sandbox
 * server (`BENCH_CONCURRENCY` calls in flight), until SIGTERM.
 * Configured by environment variables so the parent decides everything.
 */
import { bullmqQueue } from "@creatorsearch/bullmq";
import { createCreatorSearch, tiktok } from "@creatorsearch/core";
import { postgresStorage } from "@creatorsearch/drizzle/pg";

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`queue-worker: ${name} is not set`);
  return value;
};

const queue = bullmqQueue({ url: env("BENCH_REDIS_URL"), queueName: env("BENCH_QUEUE"), concurrency: Number(env("BENCH_STEPS")) });
await queue.ready();
const cs = createCreatorSearch({
  storage: postgresStorage({ url: env("BENCH_PG_URL"), schema: env("BENCH_PG_SCHEMA"), max: 8 }),
  queue,
  platforms: [tiktok({ apiKey: "bench", baseUrl: env("BENCH_SANDBOX_URL"), concurrency: Number(env("BENCH_CONCURRENCY")) })],
  limits: { maxApiCallsPerJob: 1000 },
  recoverIntervalMs: 0,
});
process.once("SIGTERM", () => {
  void cs.close().then(() => process.exit(0));
});
process.stdout.write("ready\n");
