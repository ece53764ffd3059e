/**
 * One results page: 100 creators of a 10,000-creator job read through `listCreators` (keyset
 * after a cursor, rows mapped to creators) vs a raw driver `SELECT` of the same rows (same
 * columns, same index, JSON decoded as the driver does: postgres.js parses jsonb itself; for
 * SQLite the raw side parses the JSON text too, since a page of unparsed strings is not what a
 * caller can use). Pages at 20 cursors spread over the job, read in blocks of 20 by each side in
 * turn. The job's raw pages are stored too, as the engine does: compact sandbox pages in one run,
 * real-size ones (~1.8 MB, the sandbox's `pageKb`; 180 MB for the job) in another, as a database
 * swollen with raw pages may read its creators slower.
 * Target: adapter <= 1.5x raw, on both.
 */
import Database from "better-sqlite3";
import postgres from "postgres";
import { type Backend, PG_URL, benchCampaign, commitJob, creatorPages, median, postgresBackend, sandboxRawPage, sqliteBackend } from "./storage-fixtures.js";

const CREATORS = 10_000;
const PAGE = 100;
const CURSORS = 20;
const ROUNDS = 15;

type RawPage = (jobId: string, after: number) => Promise<unknown[]>;

function sqliteRaw(file: string): { page: RawPage; close(): void } {
  const db = new Database(file, { readonly: true });
  const select = db.prepare(`select seq, data, first_seen_at from creators where job_id = ? and excluded = 0 and seq > ? order by seq limit ${PAGE}`);
  return {
    page: async (jobId, after) =>
      (select.all(jobId, after) as { seq: number; data: string; first_seen_at: number }[]).map((r) => ({
        ...JSON.parse(r.data),
        seq: r.seq,
        firstSeenAt: new Date(r.first_seen_at),
      })),
    close: () => db.close(),
  };
}

function postgresRaw(schema: string): { page: RawPage; close(): Promise<void> } {
  const sql = postgres(PG_URL, { max: 1, onnotice: () => {} });
  return {
    page: async (jobId, after) =>
      (await sql`select seq, data, first_seen_at from ${sql(schema)}.creators where job_id = ${jobId} and excluded = false and seq > ${after} order by seq limit ${PAGE}`).map(
        (r) => ({ ...r.data, seq: Number(r.seq), firstSeenAt: r.first_seen_at }),
      ),
    close: () => sql.end({ timeout: 5 }),
  };
}

async function measure(backend: Backend, rawPage: unknown): Promise<{ adapter: number; raw: number }> {
  const storage = backend.open();
  await storage.createCampaign(benchCampaign());
  await commitJob(storage, "big", creatorPages(CREATORS / PAGE, PAGE), rawPage);
  // Planner statistics as autovacuum leaves them on a live table (Postgres; a no-op for SQLite's planner here).
  if (backend.name === "Postgres") {
    const admin = postgres(PG_URL, { max: 1, onnotice: () => {} });
    await admin.unsafe(`analyze "${backend.location}".creators`);
    await admin.end();
  }
  const all = await storage.listCreators("big", { limit: CREATORS });
  if (all.length !== CREATORS) throw new Error(`bench: ${all.length} creators stored, ${CREATORS} expected`);
  const cursors = Array.from({ length: CURSORS }, (_, i) => all[Math.floor((i * (CREATORS - PAGE)) / CURSORS)]!.seq);
  const raw = backend.name === "SQLite" ? sqliteRaw(backend.location) : postgresRaw(backend.location);
  const adapterMs: number[] = [];
  const rawMs: number[] = [];
  // Each round reads the 20 pages through one side, then the other (which goes first
  // alternates), each block after a full GC where `--expose-gc` allows: a collection of the
  // other side's garbage, which can take longer than a page read, is then charged to neither.
  const block = async (read: (after: number) => Promise<unknown[]>): Promise<number> => {
    (globalThis as { gc?: () => void }).gc?.();
    const t = performance.now();
    for (const after of cursors) if ((await read(after)).length !== PAGE) throw new Error("bench: short page");
    return (performance.now() - t) / CURSORS;
  };
  const mine = (after: number) => storage.listCreators("big", { after, limit: PAGE });
  const theirs = (after: number) => raw.page("big", after);
  for (let round = 0; round <= ROUNDS; round++) {
    const [a, r] = round % 2 ? [await block(mine), await block(theirs)] : [await block(theirs), await block(mine)].reverse();
    if (round > 0) {
      adapterMs.push(a!);
      rawMs.push(r!);
    }
  }
  await raw.close();
  await storage.close();
  return { adapter: median(adapterMs), raw: median(rawMs) };
}

export async function storagePageBench(): Promise<Record<string, string | number>> {
  const figures: Record<string, string | number> = {
    workload: `${PAGE}-creator page of a ${CREATORS}-creator job (${CREATORS / PAGE} raw pages stored) at ${CURSORS} cursors, median of ${ROUNDS} rounds`,
  };
  let pass = true;
  for (const [label, pageKb] of [["compact raw pages", 0], ["real-size raw pages", 1800]] as const) {
    const { raw: rawPage, bytes } = await sandboxRawPage(pageKb);
    const name = (backend: string) => `${backend}, ${label} (${Math.round(bytes / 1024)} KB)`;
    const backends: (Backend | string)[] = [await sqliteBackend(), await postgresBackend()];
    for (const backend of backends) {
      if (typeof backend === "string") {
        figures[name("Postgres")] = `not measured: ${backend}`;
        pass = false;
        continue;
      }
      try {
        const { adapter, raw } = await measure(backend, rawPage);
        figures[`${name(backend.name)}: listCreators`] = `${adapter.toFixed(2)} ms/page`;
        figures[`${name(backend.name)}: raw SELECT`] = `${raw.toFixed(2)} ms/page`;
        figures[`${name(backend.name)}: ratio`] = `${(adapter / raw).toFixed(2)}x (target <= 1.5x)`;
        if (adapter / raw > 1.5) pass = false;
      } finally {
        await backend.cleanup();
      }
    }
  }
  figures.result = pass ? "PASS" : "FAIL";
  return figures;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await storagePageBench());
