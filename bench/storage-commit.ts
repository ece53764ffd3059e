/**
 * Storage commit throughput: creators per second committed through the adapter (one
 * `commitPage` transaction per page: job lock, chain advance conditioned on the claim, new
 * creators inserted, counters recounted from the rows) vs a raw driver insert of the same rows
 * into the same table (one transaction per page, prepared multi-row insert), on a SQLite file
 * and on Postgres. Target: adapter >= 0.7x raw.
 *
 * Each page is claimed first, as a worker does, but the claim is a step's own statement (taken
 * before the page is fetched), so it is timed apart: the ratio is the commit's, and the figure
 * with the claim added is printed beside it.
 *
 * A step also stores the raw page it paid for (`savePage`) before committing. How long that
 * takes depends on the page's size, so it is printed (for information) for compact sandbox
 * pages and for real-size ones (~1.8 MB, the sandbox's `pageKb`).
 */
import type { StorageAdapter } from "@creatorsearch/core";
import Database from "better-sqlite3";
import postgres from "postgres";
import { type Backend, PG_URL, T0, benchCampaign, benchJob, commitStep, creatorPages, creatorRow, median, postgresBackend, sandboxRawPage, sqliteBackend } from "./storage-fixtures.js";

const PAGES = 40;
const PER_PAGE = Number(process.env.BENCH_COMMIT_PAGE ?? 100);
const ROUNDS = 5;

type RawInsert = (jobId: string, rows: ReturnType<typeof creatorRow>[]) => Promise<void>;

function sqliteRaw(file: string): { insert: RawInsert; close(): void } {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  const insert = db.prepare(
    `insert or ignore into creators (job_id, platform, creator_id, handle, followers, engagement_by_followers, verified, matched_keywords, data, first_seen_at)
     values (@job_id, @platform, @creator_id, @handle, @followers, @engagement_by_followers, @verified, @matched_keywords, @data, @first_seen_at)`,
  );
  const page = db.transaction((rows: ReturnType<typeof creatorRow>[]) => {
    for (const r of rows) {
      insert.run({ ...r, verified: r.verified === null ? null : Number(r.verified), matched_keywords: JSON.stringify(r.matched_keywords), data: JSON.stringify(r.data), first_seen_at: r.first_seen_at.getTime() });
    }
  });
  return { insert: async (_jobId, rows) => page(rows), close: () => db.close() };
}

function postgresRaw(schema: string): { insert: RawInsert; close(): Promise<void> } {
  const sql = postgres(PG_URL, { max: 4, onnotice: () => {} });
  return {
    insert: async (_jobId, rows) => {
      await sql.begin(async (tx) => {
        const values = rows.map((r) => ({ ...r, matched_keywords: tx.json(r.matched_keywords), data: tx.json(r.data as never) }));
        await tx`insert into ${tx(schema)}.creators ${tx(values as never)} on conflict do nothing`;
      });
    },
    close: () => sql.end({ timeout: 5 }),
  };
}

async function measure(backend: Backend): Promise<{ adapter: number; withClaim: number; raw: number }> {
  const storage = backend.open();
  await storage.createCampaign(benchCampaign());
  const raw = backend.name === "SQLite" ? sqliteRaw(backend.location) : postgresRaw(backend.location);
  const adapterRates: number[] = [];
  const withClaimRates: number[] = [];
  const rawRates: number[] = [];
  const creators = PAGES * PER_PAGE;
  // Round 0 warms both paths up (JIT, prepared statements, caches) and is not counted. Within
  // a round adapter and raw pages alternate, so both see the same load on a shared machine.
  for (let round = 0; round <= ROUNDS; round++) {
    const adapterJob = `adapter-${round}`;
    const rawJob = `raw-${round}`;
    const adapterPages = creatorPages(PAGES, PER_PAGE, round * creators);
    // The same creators, already as rows: the raw side does no mapping work at all.
    const rawPages = adapterPages.map((page, p) => page.map((c) => creatorRow(rawJob, c, new Date(T0.getTime() + p))));
    await storage.createJob(benchJob(adapterJob, creators), [
      { jobId: adapterJob, key: "k0", input: "soup recipes", cursor: null, step: 0, exhausted: false, leaseOwner: null, leaseExpiresAt: null, updatedAt: T0 },
    ]);
    await storage.createJob(benchJob(rawJob, creators), []);
    let adapterMs = 0;
    let claimsMs = 0;
    let rawMs = 0;
    for (let step = 0; step < PAGES; step++) {
      const { claimMs, commitMs } = await commitStep(storage, adapterJob, step, adapterPages[step]!);
      adapterMs += commitMs;
      claimsMs += claimMs;
      const t = performance.now();
      await raw.insert(rawJob, rawPages[step]!);
      rawMs += performance.now() - t;
    }
    if (process.env.BENCH_DEBUG) console.log(backend.name, round, Math.round(adapterMs), Math.round(claimsMs), Math.round(rawMs));
    if (round > 0) {
      adapterRates.push(creators / (adapterMs / 1000));
      withClaimRates.push(creators / ((adapterMs + claimsMs) / 1000));
      rawRates.push(creators / (rawMs / 1000));
    }
  }
  await raw.close();
  await storage.close();
  return { adapter: median(adapterRates), withClaim: median(withClaimRates), raw: median(rawRates) };
}

/** Raw keyword pages of the sandbox, as the client hands them over. */
async function rawPages(pageKb: number, count: number): Promise<{ pages: unknown[]; bytes: number }> {
  const pages: unknown[] = [];
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const page = await sandboxRawPage(pageKb, i * 30);
    pages.push(page.raw);
    bytes += page.bytes;
  }
  return { pages, bytes };
}

const RAW_PAGES = 12;

/** A step with its raw page: claim, savePage, commitPage of 30 creators; ms per page for savePage + commit. */
async function withRawPages(storage: StorageAdapter, jobId: string, pages: unknown[]): Promise<number> {
  const creators = creatorPages(pages.length, 30, 1_000_000);
  await storage.createJob(benchJob(jobId, pages.length * 30), [
    { jobId, key: "k0", input: "soup recipes", cursor: null, step: 0, exhausted: false, leaseOwner: null, leaseExpiresAt: null, updatedAt: T0 },
  ]);
  const times: number[] = [];
  for (let step = 0; step < pages.length; step++) {
    const now = new Date(T0.getTime() + step);
    const claim = await storage.claimStep({ jobId, chain: "k0", step, owner: "w", leaseMs: 60_000, now });
    if (claim.status !== "claimed") throw new Error(`bench: claim of step ${step} answered ${claim.status}`);
    const t = performance.now();
    await storage.savePage({ jobId, chain: "k0", step, raw: pages[step], fetchedAt: now });
    const done = await storage.commitPage({ jobId, chain: "k0", step, owner: "w", creators: creators[step]!, nextCursor: String(step + 1), exhausted: false, now });
    times.push(performance.now() - t);
    if (!done) throw new Error(`bench: commit of step ${step} refused`);
  }
  // The first pages warm statements and caches up.
  return median(times.slice(2));
}

async function rawPageFigures(backend: Backend, figures: Record<string, string | number>): Promise<void> {
  const storage = backend.open();
  try {
    for (const [label, pageKb] of [["compact", 0], ["real-size", 1800]] as const) {
      const { pages, bytes } = await rawPages(pageKb, RAW_PAGES);
      const ms = await withRawPages(storage, `raw-pages-${pageKb}`, pages);
      const kb = bytes / pages.length / 1024;
      figures[`${backend.name} savePage + commit, ${label} pages`] = `${ms.toFixed(1)} ms/page (${kb.toFixed(0)} KB pages, ${((kb / 1024) / (ms / 1000)).toFixed(0)} MB/s, for information)`;
    }
  } finally {
    await storage.close();
  }
}

export async function storageCommitBench(): Promise<Record<string, string | number>> {
  const figures: Record<string, string | number> = {
    workload: `${PAGES} pages x ${PER_PAGE} creators (~1.5 KB JSON each), median of ${ROUNDS} rounds`,
  };
  let pass = true;
  const backends: (Backend | string)[] = [await sqliteBackend(), await postgresBackend()];
  for (const backend of backends) {
    if (typeof backend === "string") {
      figures.Postgres = `not measured: ${backend}`;
      pass = false;
      continue;
    }
    try {
      const { adapter, withClaim, raw } = await measure(backend);
      const ratio = adapter / raw;
      figures[`${backend.name} adapter`] = `${Math.round(adapter)} creators/s`;
      figures[`${backend.name} claim + commit`] = `${Math.round(withClaim)} creators/s (${(withClaim / raw).toFixed(2)}x raw, for information)`;
      figures[`${backend.name} raw insert`] = `${Math.round(raw)} creators/s`;
      figures[`${backend.name} ratio`] = `${ratio.toFixed(2)}x (target >= 0.7x)`;
      if (ratio < 0.7) pass = false;
      await rawPageFigures(backend, figures);
    } finally {
      await backend.cleanup();
    }
  }
  figures.result = pass ? "PASS" : "FAIL";
  return figures;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await storageCommitBench());
