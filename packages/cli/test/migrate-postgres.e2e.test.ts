import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSandboxServer } from "@creatorsearch/sandbox";
import { parse } from "csv-parse/sync";
import postgres from "postgres";
import { afterAll, beforeAll, expect, it } from "vitest";
import { PG_URL, describeWithPostgres, uniqueName } from "../../drizzle/test/support/postgres.js";
import { type CliResult, cleanEnv, runCli } from "./support/run-cli.js";

/*
 * `creatorsearch migrate` and `--db postgres://...` end to end: the real CLI in its own process,
 * a real Postgres server (a schema of this file's own, dropped afterwards), the sandbox over HTTP.
 */
const root = join(import.meta.dirname, "../../..");
const SHIPPED: string[] = JSON.parse(
  await readFile(join(root, "packages/drizzle/migrations/pg/meta/_journal.json"), "utf8"),
).entries.map((e: { tag: string }) => e.tag);

function cli(args: string[]): Promise<CliResult> {
  return runCli(args, { cwd: dir, env: cleanEnv() });
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cs-cli-pg-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
const describePg = await describeWithPostgres("cli migrate-postgres");

describePg("creatorsearch with --db postgres://", () => {
  const schema = uniqueName("cs_cli");
  const url = new URL(PG_URL);
  url.searchParams.set("schema", schema);
  const db = url.href;
  const admin = postgres(PG_URL, { max: 1, onnotice: () => {} });
  let sandbox: Awaited<ReturnType<typeof startSandboxServer>>;
  beforeAll(async () => {
    sandbox = await startSandboxServer({ port: 0 });
  });
  afterAll(async () => {
    await sandbox?.close();
    await admin.unsafe(`drop schema if exists "${schema}" cascade`);
    await admin.end({ timeout: 5 });
  });

  it("migrate --check lists what a fresh database lacks and exits 1; migrate applies it once", async () => {
    const check = await cli(["migrate", "--db", db, "--check"]);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(`(schema ${schema}): missing ${SHIPPED.join(", ")}`);
    const first = await cli(["migrate", "--db", db]);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`applied ${SHIPPED.join(", ")}`);
    const again = await cli(["migrate", "--db", db]);
    expect(again.stdout).toContain("already up to date");
    expect((await cli(["migrate", "--db", db, "--check"])).code).toBe(0);
    const journal = await admin.unsafe(`select count(*)::int as n from "${schema}".__creatorsearch_migrations`);
    expect(journal).toEqual([{ n: SHIPPED.length }]);
  });

  it("searches into Postgres, then lists and exports the job from it", async () => {
    const search = await cli(["search", "home cooking", "--sandbox", "--target", "40", "--db", db]);
    expect(search.code).toBe(0);
    const jobId = /job ([0-9a-f-]{36})/.exec(search.stdout)![1]!;
    const [row] = await admin.unsafe(`select status, processed_results from "${schema}".search_jobs where id = $1`, [jobId]);
    expect(row!.status).toBe("completed");
    const list = await cli(["jobs", "list", "--db", db, "--json"]);
    expect(list.code).toBe(0);
    expect((JSON.parse(list.stdout) as { id: string }[]).map((j) => j.id)).toContain(jobId);
    const exported = await cli(["jobs", "export", jobId, "--db", db]);
    expect(exported.code).toBe(0);
    expect(parse(exported.stdout, { columns: true })).toHaveLength(row!.processed_results as number);
  });

  it("fails in one line, naming host and database, never the password, when Postgres is unreachable", async () => {
    const r = await cli(["jobs", "list", "--db", "postgres://app:s3cret-pw@127.0.0.1:1/appdb"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: Cannot connect to Postgres at 127\.0\.0\.1:1\/appdb as app: /);
    expect(r.stderr).not.toContain("s3cret-pw");
  });

  it("names a database that does not exist", async () => {
    const missing = new URL(PG_URL);
    missing.pathname = "/no_such_db_cs";
    const r = await cli(["migrate", "--db", missing.href]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: Cannot connect to Postgres at .*\/no_such_db_cs.*does not exist/);
  });

  it("refuses a malformed Postgres URL in one line", async () => {
    const r = await cli(["migrate", "--db", "postgres://exa mple:5432/x"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: .*Postgres URL/);
  });
});

it("migrates a SQLite file with the same command", async () => {
  const sqliteShipped: string[] = JSON.parse(
    await readFile(join(root, "packages/drizzle/migrations/sqlite/meta/_journal.json"), "utf8"),
  ).entries.map((e: { tag: string }) => e.tag);
  const first = await cli(["migrate", "--db", "fresh.db"]);
  expect(first.code).toBe(0);
  expect(first.stdout).toBe(`${join(dir, "fresh.db")}: applied ${sqliteShipped.join(", ")}\n`);
  expect((await cli(["migrate", "--db", "fresh.db", "--check"])).stdout).toContain("up to date");
});
