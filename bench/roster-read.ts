/**
 * One roster page: 200 entries of a 50,000-creator campaign read through the SDK
 * (`cs.campaigns.creators.list`: the tenancy check, the entries, `foundBy` and `linked`) vs a raw
 * driver `SELECT` of the same entries (same table, same index, JSON decoded). Three reads: no
 * filter, `status` (one entry in seven shortlisted), and text (`q=77`, in about one handle in
 * twenty, spread over the roster). The campaign comes from five jobs committed as a worker does, each finding
 * 10,000 new creators, the later ones also re-finding 2,000 of the job before (so entries have several
 * `foundBy` jobs); a TikTok creator in ten links an Instagram account. 20 cursors spread over
 * the roster, read in blocks by each side in turn. Target: SDK <= 1.5x raw, on SQLite and Postgres.
 */
import { type Creator, type StorageAdapter, createCreatorSearch, memoryQueue, tiktok } from "@creatorsearch/core";
import Database from "better-sqlite3";
import postgres from "postgres";
import { type Backend, PG_URL, benchCampaign, benchCreator, commitJob, median, postgresBackend, sqliteBackend } from "./storage-fixtures.js";

const JOBS = 5;
const NEW_PER_JOB = 10_000;
const OVERLAP = 2000;
const PER_PAGE = 1000;
const LIMIT = 200;
const CURSORS = 20;
const ROUNDS = 10;

type Filter = { name: string; status?: "shortlisted"; q?: string };
const FILTERS: Filter[] = [{ name: "no filter" }, { name: "status=shortlisted", status: "shortlisted" }, { name: "q=77", q: "77" }];
type RawRead = (after: number, filter: Filter) => Promise<readonly unknown[]>;

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
    read: async (after, f): Promise<readonly unknown[]> =>
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
    // Each job finds 10,000 new creators; all but the first re-find the last 2,000 before them.
    const from = Math.max(0, j * NEW_PER_JOB - OVERLAP);
    const to = (j + 1) * NEW_PER_JOB;
    const keyword = `keyword ${j}`;
    const pages = Array.from({ length: (to - from) / PER_PAGE }, (_, p) =>
      Array.from({ length: PER_PAGE }, (_, i) => rosterCreator(from + p * PER_PAGE + i, keyword)),
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
        const sizes: number[] = [];
        let t = performance.now();
        for (const after of cursors) {
          const page = await cs.campaigns.creators.list("bench", "c1", { ...input, ...(after ? { after: String(after) } : {}) });
          sizes.push(page.items.length);
        }
        sdkTimes.push((performance.now() - t) / CURSORS);
        t = performance.now();
        for (const [i, after] of cursors.entries()) {
          const rows = await raw.read(after, filter);
          if (rows.length !== sizes[i]) throw new Error(`bench: ${rows.length} raw rows, ${sizes[i]} entries (${filter.name}, after ${after})`);
        }
        rawTimes.push((performance.now() - t) / CURSORS);
        if (sizes[0] !== LIMIT) throw new Error(`bench: ${sizes[0]} entries on the first page (${filter.name})`);
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
