/**
 * One roster page: 200 entries of a 50,000-creator campaign read through the SDK
 * (`cs.campaigns.creators.list`: the tenancy check, the entries, `foundBy` and `linked`) vs a raw
 * driver `SELECT` of the same entries (same table, same index, JSON decoded). Three reads: no
 * filter, `status` (one entry in seven shortlisted), and text (`q`, a handle prefix shared by
 * 1,111 entries). The campaign comes from five jobs of 10,000 creators committed as a worker
 * does, the later jobs re-finding part of the earlier ones' creators (so entries have several
 * `foundBy` jobs); a TikTok creator in ten links an Instagram account. 20 cursors spread over
 * the roster, read in blocks by each side in turn. Target: SDK <= 1.5x raw, on SQLite and Postgres.
 */
import { type Creator, type StorageAdapter, createCreatorSearch, memoryQueue, tiktok } from "@creatorsearch/core";
import Database from "better-sqlite3";
import postgres from "postgres";
import { type Backend, PG_URL, benchCampaign, benchCreator, commitJob, median, postgresBackend, sqliteBackend } from "./storage-fixtures.js";

const JOBS = 5;
const PER_JOB = 10_000;
const PER_PAGE = 1000;
const LIMIT = 200;
const CURSORS = 20;
const ROUNDS = 10;

type Filter = { name: string; status?: "shortlisted"; q?: string };
const FILTERS: Filter[] = [{ name: "no filter" }, { name: "status=shortlisted", status: "shortlisted" }, { name: "q=creator1", q: "creator1" }];
type RawRead = (after: number, filter: Filter) => Promise<unknown[]>;

/** Creator `n`, one in ten with a link to its Instagram account. */
const rosterCreator = (n: number, keyword: string): Creator => ({
  ...benchCreator(n),
  matchedKeywords: [keyword],
  ...(n % 10 === 0 ? { links: [{ platform: "instagram", handle: `creator${n}.ig` }] } : {}),
});

function sqliteRaw(file: string): { read: RawRead; close(): void } {
  const db = new Database(file, { readonly: true });
  const base = "select * from campaign_creators where campaign_id = ? and user_id = ? and seq > ?";
  const plain = db.prepare(`${base} order by seq limit ${LIMIT}`);
  const status = db.prepare(`${base} and status = ? order by seq limit ${LIMIT}`);
  const text = db.prepare(`${base} and (instr(lower(handle), ?) > 0 or instr(lower(coalesce(name, '')), ?) > 0) order by seq limit ${LIMIT}`);
  const decode = (rows: unknown[]) => (rows as { data: string; tags: string }[]).map((r) => ({ ...r, data: JSON.parse(r.data), tags: JSON.parse(r.tags) }));
  return {
    read: async (after, f) =>
      decode(f.status ? status.all("c1", "bench", after, f.status) : f.q ? text.all("c1", "bench", after, f.q, f.q) : plain.all("c1", "bench", after)),
    close: () => db.close(),
  };
}

function postgresRaw(schema: string): { read: RawRead; close(): Promise<void> } {
  const sql = postgres(PG_URL, { max: 1, onnotice: () => {} });
  const table = sql(schema);
  return {
    read: async (after, f) =>
      f.status
        ? await sql`select * from ${table}.campaign_creators where campaign_id = 'c1' and user_id = 'bench' and seq > ${after} and status = ${f.status} order by seq limit ${LIMIT}`
        : f.q
          ? await sql`select * from ${table}.campaign_creators where campaign_id = 'c1' and user_id = 'bench' and seq > ${after}
              and (strpos(lower(handle), ${f.q}) > 0 or strpos(lower(coalesce(name, '')), ${f.q}) > 0) order by seq limit ${LIMIT}`
          : await sql`select * from ${table}.campaign_creators where campaign_id = 'c1' and user_id = 'bench' and seq > ${after} order by seq limit ${LIMIT}`,
    close: () => sql.end({ timeout: 5 }),
  };
}

async function fill(storage: StorageAdapter): Promise<void> {
  await storage.createCampaign(benchCampaign());
  for (let j = 0; j < JOBS; j++) {
    // Each job re-finds the last fifth of the creators before it, then finds new ones.
    const offset = Math.max(0, j * PER_JOB - j * (PER_JOB / 5));
    const keyword = `keyword ${j}`;
    const pages = Array.from({ length: PER_JOB / PER_PAGE }, (_, p) =>
      Array.from({ length: PER_PAGE }, (_, i) => rosterCreator(offset + p * PER_PAGE + i, keyword)),
    );
    await commitJob(storage, `job${j}`, pages);
  }
}

async function measure(backend: Backend): Promise<Record<string, { sdk: number; raw: number }> & { entries: number }> {
  const storage = backend.open();
  await fill(storage);
  const cs = createCreatorSearch({ storage, queue: memoryQueue(), platforms: [tiktok({ apiKey: "bench" })], recoverIntervalMs: 0 });
  // The team's work: one entry in seven shortlisted.
  const ids: string[] = [];
  for await (const entry of cs.campaigns.creators.iterate("bench", "c1")) ids.push(entry.id);
  const shortlist = ids.filter((_, i) => i % 7 === 0);
  for (let i = 0; i < shortlist.length; i += 500) await storage.updateRosterEntries("bench", "c1", shortlist.slice(i, i + 500), { status: "shortlisted" }, new Date());
  if (backend.name === "Postgres") {
    const admin = postgres(PG_URL, { max: 1, onnotice: () => {} });
    await admin.unsafe(`analyze "${backend.location}".campaign_creators; analyze "${backend.location}".creators; analyze "${backend.location}".campaign_creator_keys`);
    await admin.end();
  }
  const raw = backend.name === "SQLite" ? sqliteRaw(backend.location) : postgresRaw(backend.location);
  const out: Record<string, { sdk: number; raw: number }> = {};
  try {
    const seqs = (await storage.listRoster("bench", "c1", { limit: ids.length })).map((e) => e.seq);
    const cursors = Array.from({ length: CURSORS }, (_, i) => (i === 0 ? 0 : seqs[Math.floor((i * (seqs.length - LIMIT)) / CURSORS)]!));
    for (const filter of FILTERS) {
      const input = { limit: LIMIT, ...(filter.status ? { status: filter.status } : {}), ...(filter.q ? { q: filter.q } : {}) };
      const sdkTimes: number[] = [];
      const rawTimes: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        let t = performance.now();
        for (const after of cursors) {
          const page = await cs.campaigns.creators.list("bench", "c1", { ...input, ...(after ? { after: String(after) } : {}) });
          if (!page.items.length) throw new Error(`bench: empty roster page (${filter.name}, after ${after})`);
        }
        sdkTimes.push((performance.now() - t) / CURSORS);
        t = performance.now();
        for (const after of cursors) {
          const rows = await raw.read(after, filter);
          if (!rows.length) throw new Error(`bench: empty raw page (${filter.name}, after ${after})`);
        }
        rawTimes.push((performance.now() - t) / CURSORS);
      }
      out[filter.name] = { sdk: median(sdkTimes), raw: median(rawTimes) };
    }
  } finally {
    await raw.close();
    await cs.close();
  }
  return Object.assign(out, { entries: ids.length });
}

export async function rosterReadBench(): Promise<Record<string, string | number>> {
  const figures: Record<string, string | number> = {};
  let worst = 0;
  const pg = await postgresBackend();
  const backends: Backend[] = [await sqliteBackend(), ...(typeof pg === "string" ? [] : [pg])];
  if (typeof pg === "string") figures.Postgres = `skipped: ${pg}`;
  for (const backend of backends) {
    try {
      const { entries, ...reads } = await measure(backend);
      figures[`${backend.name}: roster entries`] = entries;
      for (const [name, { sdk, raw }] of Object.entries(reads)) {
        const ratio = sdk / raw;
        worst = Math.max(worst, ratio);
        figures[`${backend.name} ${name}: SDK / raw ms per 200-entry page`] = `${sdk.toFixed(2)} / ${raw.toFixed(2)} (${ratio.toFixed(2)}x)`;
      }
    } finally {
      await backend.cleanup();
    }
  }
  figures.target = "SDK <= 1.5x raw";
  figures.result = worst <= 1.5 && typeof pg !== "string" ? "PASS" : "FAIL";
  return figures;
}
