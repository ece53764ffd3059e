/**
 * Shared by the storage benchmarks: realistic normalized creators (bio, emails, three posts,
 * hashtags: about 1.5 KB of JSON each, like a TikTok creator after normalization), the column
 * values the adapters store for them, and the two backends (a SQLite file, a Postgres schema).
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Campaign, type Creator, type SearchJob, type StorageAdapter, computeEngagement, parseJsonKeepingText } from "@creatorsearch/core";
import { postgresStorage } from "@creatorsearch/drizzle/pg";
import { createSandbox } from "@creatorsearch/sandbox";
import { sqliteStorage } from "@creatorsearch/drizzle/sqlite";
import postgres from "postgres";

export const PG_URL = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
export const T0 = new Date("2026-01-01T00:00:00.000Z");
export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export function benchCreator(n: number): Creator {
  const id = `7${String(n).padStart(18, "0")}`;
  const posts = Array.from({ length: 3 }, (_, i) => ({
    id: `${id}${i}`,
    url: `https://www.tiktok.com/@creator${n}/video/${id}${i}`,
    caption: `Cozy soup recipe number ${i} for the fall season #soup #fallrecipes #cooking`,
    createdAt: new Date(T0.getTime() - i * 86_400_000).toISOString(),
    likes: 1000 + n + i,
    comments: 40 + i,
    shares: 12,
    views: 25_000 + n * 3 + i,
    hashtags: ["soup", "fallrecipes", "cooking"],
  }));
  return {
    platform: "tiktok",
    id,
    handle: `creator${n}`,
    name: `Creator ${n} | Soups & Stews`,
    followers: 10_000 + n,
    avatarUrl: `https://p16-sign-va.tiktokcdn.com/tos-maliva-avt-0068/${id}~c5_720x720.jpeg`,
    profileUrl: `https://www.tiktok.com/@creator${n}`,
    bio: "Home cook sharing weeknight soups. Collabs: hello@example.com",
    verified: n % 10 === 0,
    emails: ["hello@example.com"],
    posts,
    hashtags: ["soup", "fallrecipes", "cooking"],
    matchedKeywords: ["soup recipes"],
    engagement: computeEngagement(10_000 + n, posts),
  };
}

export function benchCampaign(): Campaign {
  return { id: "c1", userId: "bench", name: "bench", description: null, searchType: "keyword", status: "active", platforms: ["tiktok"], createdAt: T0, updatedAt: T0, archivedAt: null };
}

export function benchJob(id: string, targetResults: number): SearchJob {
  return {
    id, userId: "bench", campaignId: "c1", platform: "tiktok", mode: "keyword", keywords: ["soup recipes"], targetHandle: null,
    targetResults, status: "pending", processedRuns: 0, processedResults: 0, filtered: 0, skippedKnown: 0, progress: 0, apiCalls: 0, dryPages: 0,
    stopReason: null, error: null, options: {}, timeoutAt: new Date(T0.getTime() + 3_600_000), createdAt: T0, updatedAt: T0,
    startedAt: null, completedAt: null,
  } as SearchJob;
}

/** `pages` pages of `perPage` creators, numbered from `offset`. */
export const creatorPages = (pages: number, perPage: number, offset = 0): Creator[][] =>
  Array.from({ length: pages }, (_, p) => Array.from({ length: perPage }, (_, i) => benchCreator(offset + p * perPage + i)));

/**
 * Commits `pages` (built beforehand) to a new job `jobId`, one claim and one commit per page, as
 * a worker would; with `raw`, each step also stores it as its raw page (`savePage`), untimed.
 */
export async function commitJob(storage: StorageAdapter, jobId: string, pages: Creator[][], raw?: unknown): Promise<void> {
  const perPage = pages[0]?.length ?? 0;
  await storage.createJob(benchJob(jobId, pages.length * perPage), [
    { jobId, key: "k0", input: "soup recipes", cursor: null, step: 0, exhausted: false, leaseOwner: null, leaseExpiresAt: null, updatedAt: T0 },
  ]);
  for (let step = 0; step < pages.length; step++) await commitStep(storage, jobId, step, pages[step]!, raw);
}

/**
 * One worker step of chain `k0`: claim, then commit `creators`; says how long each took (ms).
 * With `raw`, the raw page is saved between the two, as the engine does, outside both timings.
 */
export async function commitStep(storage: StorageAdapter, jobId: string, step: number, creators: Creator[], raw?: unknown): Promise<{ claimMs: number; commitMs: number }> {
  const now = new Date(T0.getTime() + step);
  let t = performance.now();
  const claim = await storage.claimStep({ jobId, chain: "k0", step, owner: "w", leaseMs: 60_000, now });
  const claimMs = performance.now() - t;
  if (claim.status !== "claimed") throw new Error(`bench: claim of step ${step} answered ${claim.status}`);
  if (raw !== undefined) await storage.savePage({ jobId, chain: "k0", step, raw, fetchedAt: now });
  t = performance.now();
  const done = await storage.commitPage({ jobId, chain: "k0", step, owner: "w", creators, nextCursor: String(step + 1), exhausted: false, now });
  const commitMs = performance.now() - t;
  if (!done) throw new Error(`bench: commit of step ${step} refused`);
  return { claimMs, commitMs };
}

/** The creator row columns, as both adapters store them (see packages/drizzle/src/shared/rows.ts). */
export function creatorRow(jobId: string, c: Creator, firstSeenAt: Date) {
  return {
    job_id: jobId,
    platform: c.platform,
    creator_id: c.id,
    handle: c.handle,
    followers: c.followers,
    engagement_by_followers: c.engagement.byFollowers,
    verified: c.verified,
    matched_keywords: c.matchedKeywords,
    data: c,
    first_seen_at: firstSeenAt,
  };
}

export interface Backend {
  name: "SQLite" | "Postgres";
  open(): StorageAdapter & { close(): Promise<void> };
  cleanup(): Promise<void>;
  location: string;
}

export async function sqliteBackend(): Promise<Backend> {
  const dir = await mkdtemp(join(tmpdir(), "cs-bench-storage-"));
  const file = join(dir, "bench.db");
  return { name: "SQLite", location: file, open: () => sqliteStorage({ file }), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Why the bench server does not answer on `admin`, or `null` when it does. */
async function unreachableReason(admin: postgres.Sql): Promise<string | null> {
  try {
    await admin`select 1`;
    return null;
  } catch (error) {
    return `Postgres unreachable at ${new URL(PG_URL).host}: ${(error as Error).message}`;
  }
}

/** Why the bench server cannot be used, or `null` when it answers. */
export async function postgresUnreachable(): Promise<string | null> {
  const admin = postgres(PG_URL, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    return await unreachableReason(admin);
  } finally {
    await admin.end({ timeout: 1 });
  }
}

/** A fresh schema on the bench server, or `null` with the reason when it is unreachable. */
export async function postgresBackend(): Promise<Backend | string> {
  const admin = postgres(PG_URL, { max: 1, connect_timeout: 5, onnotice: () => {} });
  const unreachable = await unreachableReason(admin);
  if (unreachable) {
    await admin.end({ timeout: 1 });
    return unreachable;
  }
  const schema = `cs_bench_${randomBytes(4).toString("hex")}`;
  return {
    name: "Postgres",
    location: schema,
    open: () => postgresStorage({ url: PG_URL, schema, max: 4 }),
    cleanup: async () => {
      await admin.unsafe(`drop schema if exists "${schema}" cascade`);
      await admin.end({ timeout: 5 });
    },
  };
}

/**
 * A TikTok keyword page of the sandbox as the client hands it to storage (parsed, its text
 * kept): compact with `pageKb` 0, real-size (~1.8 MB) with 1800.
 */
export async function sandboxRawPage(pageKb: number, cursor = 0): Promise<{ raw: unknown; bytes: number }> {
  const sandbox = createSandbox({ pageKb, resultsPerQuery: 20_000 });
  const res = await sandbox.fetch(new Request(`http://sandbox/v1/tiktok/search/keyword?query=bench%20raw&cursor=${cursor}`, { headers: { "x-api-key": "bench" } }));
  const text = await res.text();
  return { raw: parseJsonKeepingText(text), bytes: text.length };
}
