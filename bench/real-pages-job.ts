/**
 * Child process of the "Real pages at rest" bench (see real-pages-at-rest.ts): runs one search
 * through the SDK's default path (createCreatorSearch + the given storage + memoryQueue +
 * tiktok() over HTTP, every setting at its default) and prints one JSON line with the finished
 * job and this process's peak RSS. A process of its own, so the peak is the SDK's alone: the
 * sandbox that generates the pages runs in the parent.
 *
 * Usage: real-pages-job.ts '{"storage":"sqlite","location":"/tmp/x.db","baseUrl":"http://...","keywords":[...],"target":300}'
 */
import { createCreatorSearch, memoryQueue, type StorageAdapter, tiktok } from "@creatorsearch/core";

export interface RealPagesJobInput {
  storage: "sqlite" | "postgres";
  /** SQLite file, or Postgres schema. */
  location: string;
  pgUrl?: string;
  baseUrl: string;
  keywords: string[];
  target: number;
}

export interface RealPagesJobOutput {
  status: string;
  stopReason: string | null;
  processedResults: number;
  processedRuns: number;
  apiCalls: number;
  seconds: number;
  /** Bytes: right before the job started, and the process's high-water mark. */
  rssAtStart: number;
  peakRss: number;
}

const input = JSON.parse(process.argv[2] ?? "") as RealPagesJobInput;

async function openStorage(): Promise<StorageAdapter & { close(): Promise<void> }> {
  if (input.storage === "sqlite") {
    const { sqliteStorage } = await import("@creatorsearch/drizzle/sqlite");
    return sqliteStorage({ file: input.location });
  }
  const { postgresStorage } = await import("@creatorsearch/drizzle/pg");
  return postgresStorage({ url: input.pgUrl!, schema: input.location });
}

const cs = createCreatorSearch({
  storage: await openStorage(),
  queue: memoryQueue(),
  platforms: [tiktok({ apiKey: "bench", baseUrl: input.baseUrl })],
});
const campaign = await cs.campaigns.create("bench", { name: "real pages at rest" });
const rssAtStart = process.memoryUsage().rss;
const t0 = performance.now();
const job = await cs.jobs.start("bench", { campaignId: campaign.id, platform: "tiktok", keywords: input.keywords, targetResults: input.target });
const done = await cs.jobs.wait("bench", job.id, { pollMs: 50 });
const seconds = (performance.now() - t0) / 1000;
await cs.close();
const output: RealPagesJobOutput = {
  status: done.status,
  stopReason: done.stopReason ?? null,
  processedResults: done.processedResults,
  processedRuns: done.processedRuns,
  apiCalls: done.apiCalls,
  seconds,
  rssAtStart,
  // maxRSS is in KiB.
  peakRss: process.resourceUsage().maxRSS * 1024,
};
process.stdout.write(`${JSON.stringify(output)}\n`);
