/**
 * Storage commit throughput: creators per second committed through the adapter (one
 * `commitPage` transaction per page: job lock, chain advance conditioned on the claim, new
 * creators inserted, the campaign roster written, counters recounted from the rows) vs a raw
 * driver insert of the same rows into the same tables (one transaction per page, prepared
 * inserts), on a SQLite file and on Postgres. Target: adapter >= 0.7x raw.
 *
 * A commit writes each new creator twice: its job's row and its campaign roster entry (with the
 * entry's identity keys). The raw side writes exactly those rows, built beforehand, so the ratio
 * is what the adapter adds (locking, the chain, reading back what the job and the roster have,
 * merging, recounting, mapping). The creator rows alone, the baseline before the campaign roster
 * existed, are timed too and printed for information.
 *
 * Each page is claimed first, as a worker does, but the claim is a step's own statement (taken
 * before the page is fetched), so it is timed apart: the ratio is the commit's, and the figure
 * with the claim added is printed beside it.
 *
 * A step also stores the raw page it paid for (`savePage`) before committing. How long that
 * takes depends on the page's size, so it is printed (for information) for compact sandbox
 * pages and for real-size ones (~1.8 MB, the sandbox's `pageKb`).
 */
import { type Creator, type StorageAdapter, identityKeysOf, mergeRosterData } from "@creatorsearch/core";
import Database from "better-sqlite3";
import postgres from "postgres";
import { type Backend, PG_URL, T0, benchCampaign, benchJob, commitStep, creatorPages, creatorRow, median, postgresBackend, sandboxRawPage, sqliteBackend } from "./storage-fixtures.js";

const PAGES = 40;
const PER_PAGE = Number(process.env.BENCH_COMMIT_PAGE ?? 100);
const ROUNDS = 5;
/** The raw side's roster goes to a campaign of its own: the adapter's already has these creators. */
const RAW_CAMPAIGN = "c-raw";

/** A campaign roster entry's columns, as both adapters store a new one (see shared/roster-plan.ts). */
function entryRow(jobId: string, c: Creator, at: Date) {
  const data = mergeRosterData(null, c);
  return {
    campaign_id: RAW_CAMPAIGN,
    user_id: "bench",
    platform: c.platform,
    creator_id: c.id,
    handle: data.handle,
    name: data.name,
    followers: data.followers,
    data,
    status: "new",
    notes: null,
    tags: [] as string[],
    found_by: [{ jobId, inputs: [...c.matchedKeywords], at: at.getTime() }],
    first_job_id: jobId,
    linked: false,
    first_seen_at: at,
    updated_at: at,
  };
}

/** A page as the raw side writes it: creator rows, and roster entries with their keys (the same order). */
interface RawPage {
  creators: ReturnType<typeof creatorRow>[];
  entries: ReturnType<typeof entryRow>[];
  keys: string[][];
}

function rawPage(jobId: string, page: Creator[], at: Date): RawPage {
  return {
    creators: page.map((c) => creatorRow(jobId, c, at)),
    entries: page.map((c) => entryRow(jobId, c, at)),
    keys: page.map((c) => identityKeysOf({ platform: c.platform, platformId: c.id, handle: c.handle })),
  };
}

/** Writes a page in one transaction: its creator rows, and with `roster` its roster entries and keys too. */
type RawInsert = (page: RawPage, roster: boolean) => Promise<void>;

function sqliteRaw(file: string): { insert: RawInsert; close(): void } {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  const insertCreator = db.prepare(
    `insert or ignore into creators (job_id, platform, creator_id, handle, followers, engagement_by_followers, verified, matched_keywords, data, first_seen_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertEntry = db.prepare(
    `insert into campaign_creators (campaign_id, user_id, platform, creator_id, handle, name, followers, data, status, notes, tags, found_by, first_job_id, linked, first_seen_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertKey = db.prepare(`insert into campaign_creator_keys (campaign_id, key, entry_seq, kind) values (?, ?, ?, 'self')`);
  const write = db.transaction((page: RawPage, roster: boolean) => {
    for (const r of page.creators) {
      const verified = r.verified === null ? null : Number(r.verified);
      insertCreator.run(r.job_id, r.platform, r.creator_id, r.handle, r.followers, r.engagement_by_followers, verified, JSON.stringify(r.matched_keywords), JSON.stringify(r.data), r.first_seen_at.getTime());
    }
    if (!roster) return;
    page.entries.forEach((e, i) => {
      const { lastInsertRowid } = insertEntry.run(
        e.campaign_id, e.user_id, e.platform, e.creator_id, e.handle, e.name, e.followers, JSON.stringify(e.data), e.status, e.notes,
        JSON.stringify(e.tags), JSON.stringify(e.found_by), e.first_job_id, Number(e.linked), e.first_seen_at.getTime(), e.updated_at.getTime(),
      );
      for (const key of page.keys[i]!) insertKey.run(e.campaign_id, key, lastInsertRowid);
    });
  });
  return { insert: async (page, roster) => write(page, roster), close: () => db.close() };
}

function postgresRaw(schema: string): { insert: RawInsert; close(): Promise<void> } {
  const sql = postgres(PG_URL, { max: 4, onnotice: () => {} });
  return {
    insert: async (page, roster) => {
      await sql.begin(async (tx) => {
        const creators = page.creators.map((r) => ({ ...r, matched_keywords: tx.json(r.matched_keywords), data: tx.json(r.data as never) }));
        await tx`insert into ${tx(schema)}.creators ${tx(creators as never)} on conflict do nothing`;
        if (!roster) return;
        const entries = page.entries.map((e) => ({ ...e, data: tx.json(e.data as never), tags: tx.json(e.tags), found_by: tx.json(e.found_by as never) }));
        const seqs = await tx<{ seq: string }[]>`insert into ${tx(schema)}.campaign_creators ${tx(entries as never)} returning seq`;
        const keys = seqs.flatMap(({ seq }, i) => page.keys[i]!.map((key) => ({ campaign_id: RAW_CAMPAIGN, key, entry_seq: seq, kind: "self" })));
        await tx`insert into ${tx(schema)}.campaign_creator_keys ${tx(keys)}`;
      });
    },
    close: () => sql.end({ timeout: 5 }),
  };
}

interface Rates {
  adapter: number;
  withClaim: number;
  /** The same rows as the adapter's commits: creators, roster entries, keys. */
  raw: number;
  /** Creator rows only. */
  rawCreators: number;
}

async function measure(backend: Backend): Promise<Rates> {
  const storage = backend.open();
  await storage.createCampaign(benchCampaign());
  await storage.createCampaign({ ...benchCampaign(), id: RAW_CAMPAIGN });
  const raw = backend.name === "SQLite" ? sqliteRaw(backend.location) : postgresRaw(backend.location);
  const rates: { [K in keyof Rates]: number[] } = { adapter: [], withClaim: [], raw: [], rawCreators: [] };
  const creators = PAGES * PER_PAGE;
  // Round 0 warms every path up (JIT, prepared statements, caches) and is not counted. Within a
  // round the adapter's and the raw pages alternate, so all see the same load on a shared machine.
  for (let round = 0; round <= ROUNDS; round++) {
    const adapterJob = `adapter-${round}`;
    const rawJob = `raw-${round}`;
    const rawCreatorsJob = `raw-creators-${round}`;
    const adapterPages = creatorPages(PAGES, PER_PAGE, round * creators);
    // The same creators, already as rows: the raw side does no mapping work at all.
    const rawPages = adapterPages.map((page, p) => rawPage(rawJob, page, new Date(T0.getTime() + p)));
    const rawCreatorPages = adapterPages.map((page, p) => rawPage(rawCreatorsJob, page, new Date(T0.getTime() + p)));
    await storage.createJob(benchJob(adapterJob, creators), [
      { jobId: adapterJob, key: "k0", input: "soup recipes", cursor: null, step: 0, exhausted: false, leaseOwner: null, leaseExpiresAt: null, updatedAt: T0 },
    ]);
    await storage.createJob({ ...benchJob(rawJob, creators), campaignId: RAW_CAMPAIGN }, []);
    await storage.createJob(benchJob(rawCreatorsJob, creators), []);
    const ms = { adapter: 0, claims: 0, raw: 0, rawCreators: 0 };
    for (let step = 0; step < PAGES; step++) {
      const { claimMs, commitMs } = await commitStep(storage, adapterJob, step, adapterPages[step]!);
      ms.adapter += commitMs;
      ms.claims += claimMs;
      let t = performance.now();
      await raw.insert(rawPages[step]!, true);
      ms.raw += performance.now() - t;
      t = performance.now();
      await raw.insert(rawCreatorPages[step]!, false);
      ms.rawCreators += performance.now() - t;
    }
    if (process.env.BENCH_DEBUG) console.log(backend.name, round, Object.entries(ms).map(([k, v]) => `${k} ${Math.round(v)} ms`).join(", "));
    if (round > 0) {
      const rate = (total: number) => creators / (total / 1000);
      rates.adapter.push(rate(ms.adapter));
      rates.withClaim.push(rate(ms.adapter + ms.claims));
      rates.raw.push(rate(ms.raw));
      rates.rawCreators.push(rate(ms.rawCreators));
    }
  }
  await raw.close();
  await storage.close();
  return { adapter: median(rates.adapter), withClaim: median(rates.withClaim), raw: median(rates.raw), rawCreators: median(rates.rawCreators) };
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
    workload: `${PAGES} pages x ${PER_PAGE} new creators (~1.5 KB JSON each, 2 roster keys each), median of ${ROUNDS} rounds`,
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
      const { adapter, withClaim, raw, rawCreators } = await measure(backend);
      const ratio = adapter / raw;
      figures[`${backend.name} adapter`] = `${Math.round(adapter)} creators/s`;
      figures[`${backend.name} claim + commit`] = `${Math.round(withClaim)} creators/s (${(withClaim / raw).toFixed(2)}x raw, for information)`;
      figures[`${backend.name} raw insert`] = `${Math.round(raw)} creators/s (creator rows, roster entries and keys)`;
      figures[`${backend.name} raw creator rows only`] = `${Math.round(rawCreators)} creators/s (adapter ${(adapter / rawCreators).toFixed(2)}x, for information)`;
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
