/**
 * Real pages at rest: what a 3-keyword TikTok search with target 300 leaves on disk and holds in
 * memory when pages have the real API's size (~1.8 MB, ~60 KB per video, mostly signed CDN URLs
 * with random tokens; see the sandbox's `pageKb`), through the SDK's default path:
 * createCreatorSearch + sqliteStorage on a temp file (or postgresStorage on a fresh schema) +
 * memoryQueue + tiktok(), every setting at its default. Compact pages are run too, for contrast.
 *
 * Reports creators stored, database bytes (SQLite after a WAL checkpoint, per table from the
 * `dbstat` virtual table; Postgres `pg_total_relation_size` per table, where TOAST compression
 * cannot shrink the random tokens much), bytes per creator, the SDK process's peak RSS, and the
 * pages paid for (credits charged by the sandbox) vs committed by the job.
 * Targets on real-size pages: <= 8 KB per creator on SQLite, <= 12 KB on Postgres, no paid page
 * left uncommitted. `creatorsearch search --target 300` is measured too (peak RSS, bytes).
 */
import { execFile, spawn } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { startSandboxServer } from "@creatorsearch/sandbox";
import Database from "better-sqlite3";
import postgres from "postgres";
import type { RealPagesJobInput, RealPagesJobOutput } from "./real-pages-job.js";
import { PG_URL, postgresBackend, sqliteBackend } from "./storage-fixtures.js";

const KEYWORDS = ["fitness", "cooking", "travel"];
const TARGET = 300;
/** A real keyword page: ~1.8 MB for 30 videos. */
const REAL_PAGE_KB = 1800;
const SIZES = [
  { label: "compact pages", pageKb: 0 },
  { label: `real-size pages (${REAL_PAGE_KB} KB)`, pageKb: REAL_PAGE_KB },
];
const SQLITE_TARGET = 8 * 1024;
const POSTGRES_TARGET = 12 * 1024;

const KB = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const MB = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Runs the search in a child process (see real-pages-job.ts) and reads its JSON line. */
function runJob(input: RealPagesJobInput): Promise<RealPagesJobOutput> {
  const script = join(import.meta.dirname, "real-pages-job.ts");
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["--conditions=dev-source", "--import", "tsx", script, JSON.stringify(input)], { timeout: 180_000, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`bench job failed: ${error.message}\n${stderr}`));
      resolve(JSON.parse(stdout.trim().split("\n").pop()!) as RealPagesJobOutput);
    });
  });
}

/** Bytes per table (its indexes included) of a closed SQLite file, after a WAL checkpoint. */
function sqliteBytes(file: string): { total: number; tables: Record<string, number>; method: string; rawPages: number } {
  const db = new Database(file);
  try {
    db.pragma("wal_checkpoint(TRUNCATE)");
    const owner = new Map((db.prepare("select name, tbl_name from sqlite_master where type in ('table', 'index')").all() as { name: string; tbl_name: string }[]).map((r) => [r.name, r.tbl_name]));
    const tables: Record<string, number> = {};
    let method = "dbstat";
    try {
      for (const row of db.prepare("select name, sum(pgsize) as bytes from dbstat group by name").all() as { name: string; bytes: number }[]) {
        const table = owner.get(row.name) ?? row.name;
        tables[table] = (tables[table] ?? 0) + row.bytes;
      }
    } catch {
      // SQLite built without SQLITE_ENABLE_DBSTAT_VTAB: the bytes of each table's rows instead.
      method = "row bytes (no dbstat)";
      for (const table of new Set(owner.values())) {
        const columns = (db.prepare(`select name from pragma_table_info(?)`).all(table) as { name: string }[]).map((c) => `coalesce(length("${c.name}"), 0)`);
        tables[table] = Number((db.prepare(`select coalesce(sum(${columns.join(" + ") || "0"}), 0) as n from "${table}"`).get() as { n: number }).n);
      }
    }
    // Deleted rows leave their pages on the freelist: the file keeps them until a VACUUM.
    const pageSize = Number(db.pragma("page_size", { simple: true }));
    tables["(free pages)"] = Number(db.pragma("freelist_count", { simple: true })) * pageSize;
    const wal = existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0;
    const rawPages = (db.prepare("select count(*) as n from search_pages").get() as { n: number }).n;
    return { total: statSync(file).size + wal, tables, method, rawPages };
  } finally {
    db.close();
  }
}

/** Bytes per table of a Postgres schema (heap, TOAST and indexes). */
async function postgresBytes(schema: string): Promise<{ total: number; tables: Record<string, number>; rawPages: number }> {
  const sql = postgres(PG_URL, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql<{ table: string; bytes: string }[]>`
      select c.relname as table, pg_total_relation_size(c.oid) as bytes
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = ${schema} and c.relkind in ('r', 'p')`;
    const tables = Object.fromEntries(rows.map((r) => [r.table, Number(r.bytes)]));
    const [kept] = await sql<{ n: string }[]>`select count(*) as n from ${sql(schema)}.search_pages`;
    return { total: Object.values(tables).reduce((a, b) => a + b, 0), tables, rawPages: Number(kept!.n) };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** `VACUUM` of a schema's raw pages, as autovacuum runs it after deletes. */
async function vacuumPages(schema: string): Promise<void> {
  const sql = postgres(PG_URL, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`vacuum "${schema}".search_pages`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** `search_pages 100.3 KB, creators 1.7 KB, other 0.2 KB`: per creator, biggest first. */
function split(tables: Record<string, number>, creators: number): string {
  const per = Object.entries(tables).map(([name, bytes]) => [name, bytes / Math.max(1, creators)] as const);
  const shown = per.filter(([, b]) => b >= 1024).sort(([, a], [, b]) => b - a);
  const other = per.filter(([, b]) => b < 1024).reduce((sum, [, b]) => sum + b, 0);
  return [...shown.map(([name, b]) => `${name} ${KB(b)}`), `other tables ${KB(other)}`].join(", ");
}

/**
 * `creatorsearch search ... --target 300` against the sandbox, from the built CLI: its peak
 * RSS read from /proc (VmHWM, the kernel's high-water mark), and the file it leaves.
 */
async function cliRun(baseUrl: string, file: string): Promise<{ peakRss: number; bytes: number; code: number | null } | string> {
  const bin = join(import.meta.dirname, "../packages/cli/dist/bin.js");
  if (!existsSync(bin)) return "not measured: run pnpm build first (the bench runs the built CLI)";
  if (!existsSync("/proc/self/status")) return "not measured: needs /proc (Linux)";
  const child = spawn(process.execPath, [bin, "search", ...KEYWORDS, "--target", String(TARGET), "--db", file, "--json"], {
    env: { ...process.env, SCRAPECREATORS_API_KEY: "bench", SCRAPECREATORS_BASE_URL: baseUrl },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  let peakRss = 0;
  const poll = setInterval(() => {
    try {
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
      if (hwm) peakRss = Math.max(peakRss, Number(hwm[1]) * 1024);
    } catch {
      // exited between two polls
    }
  }, 20);
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  clearInterval(poll);
  if (code !== 0) return `CLI exited ${code}: ${stderr.trim().split("\n")[0]}`;
  return { peakRss, bytes: sqliteBytes(file).total, code };
}

export async function realPagesAtRestBench(): Promise<Record<string, string | number>> {
  const figures: Record<string, string | number> = {
    workload: `TikTok keywords ${KEYWORDS.join(", ")}, target ${TARGET}, SDK defaults (memoryQueue, default retention), sandbox at 0 ms`,
  };
  let pass = true;
  /** The real-size pages' figures, for the summary line. */
  const headline: string[] = [];
  for (const size of SIZES) {
    const real = size.pageKb > 0;
    // Plenty of results per keyword: the job stops at its target, not at the end of the results.
    const sandbox = await startSandboxServer({ port: 0, resultsPerQuery: 3000, pageKb: size.pageKb });
    try {
      for (const backend of [await sqliteBackend(), await postgresBackend()]) {
        if (typeof backend === "string") {
          figures[`Postgres, ${size.label}`] = `not measured: ${backend}`;
          if (real) pass = false;
          continue;
        }
        const name = `${backend.name}, ${size.label}`;
        try {
          sandbox.sandbox.reset();
          const job = await runJob({
            storage: backend.name === "SQLite" ? "sqlite" : "postgres",
            location: backend.location,
            pgUrl: PG_URL,
            baseUrl: sandbox.url,
            keywords: KEYWORDS,
            target: TARGET,
          });
          const paid = sandbox.sandbox.creditsUsed;
          const lost = paid - job.processedRuns;
          let disk = backend.name === "SQLite" ? sqliteBytes(backend.location) : await postgresBytes(backend.location);
          if (backend.name === "Postgres") {
            // Deleted rows stay in the table files until (auto)vacuum; what it leaves is the size at rest.
            figures[`${name}: database before vacuum`] = `${MB(disk.total)}, ${KB(disk.total / Math.max(1, job.processedResults))}/creator (dead rows of dropped pages)`;
            await vacuumPages(backend.location);
            disk = await postgresBytes(backend.location);
          }
          const perCreator = disk.total / Math.max(1, job.processedResults);
          const limit = backend.name === "SQLite" ? SQLITE_TARGET : POSTGRES_TARGET;
          figures[`${name}: creators`] = `${job.processedResults} (${job.status}${job.stopReason ? `, ${job.stopReason}` : ""}, ${job.seconds.toFixed(1)} s)`;
          figures[`${name}: database`] = `${MB(disk.total)}, ${KB(perCreator)}/creator${real ? ` (target <= ${KB(limit)})` : ""}`;
          figures[`${name}: per table`] = `${split(disk.tables, job.processedResults)} per creator${"method" in disk ? ` [${disk.method}]` : ""}`;
          figures[`${name}: peak RSS`] = `${MB(job.peakRss)} (${MB(job.rssAtStart)} before the job)`;
          figures[`${name}: pages`] = `${paid} paid, ${job.processedRuns} committed, ${lost} paid but not committed${real ? " (target 0)" : ""}, ${disk.rawPages} raw pages kept`;
          if (real && (perCreator > limit || lost > 0)) pass = false;
          if (real) headline.push(`${backend.name} ${KB(perCreator)}/creator, peak RSS ${MB(job.peakRss)}, ${lost} pages lost`);
        } finally {
          await backend.cleanup();
        }
      }
      const cliDir = await sqliteBackend();
      sandbox.sandbox.reset();
      try {
        const cli = await cliRun(sandbox.url, cliDir.location);
        figures[`CLI search --target ${TARGET}, ${size.label}`] =
          typeof cli === "string" ? cli : `peak RSS ${MB(cli.peakRss)}, database ${MB(cli.bytes)}, ${sandbox.sandbox.creditsUsed} pages paid`;
      } finally {
        await cliDir.cleanup();
      }
    } finally {
      await sandbox.close();
    }
  }
  figures.summary = `${SIZES.find((s) => s.pageKb > 0)?.label}: ${headline.join("; ")}`;
  figures.target = `per creator at rest <= ${KB(SQLITE_TARGET)} (SQLite), <= ${KB(POSTGRES_TARGET)} (Postgres); 0 pages paid but not committed`;
  figures.result = pass ? "PASS" : "FAIL";
  return figures;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await realPagesAtRestBench());
