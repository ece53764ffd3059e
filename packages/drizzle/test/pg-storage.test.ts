import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { ConfigurationError, parseJsonKeepingText } from "@creatorsearch/core";
import { startSandboxServer } from "@creatorsearch/sandbox";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PostgresStorage, migrate, postgresStorage } from "../src/pg/index.js";
import { at, campaignFixture, chainFixture, creatorFixture as creator, jobFixture } from "@creatorsearch/test-utils/storage";
import { describeConnectionErrors, describeFailedCommits } from "./support/driver-checks.js";
import { PG_URL, describeWithPostgres, uniqueName } from "./support/postgres.js";

/*
 * Postgres-specific behaviour beyond the conformance suite (pg-conformance.test.ts): races on
 * many pools, schema and prefix placement, migrations, connection errors. Every test works in
 * schemas (and one database) of its own, dropped at the end.
 */
const describePg = await describeWithPostgres("pg-storage");
/** Tags of the shipped migrations, oldest first. */
const SHIPPED: string[] = JSON.parse(await readFile(new URL("../migrations/pg/meta/_journal.json", import.meta.url), "utf8")).entries.map(
  (e: { tag: string }) => e.tag,
);

describePg("postgresStorage", () => {
  const admin = postgres(PG_URL, { max: 4, onnotice: () => {} });
  const schemas: string[] = [];
  const open: PostgresStorage[] = [];
  /** A storage in `schema`, closed after the file. */
  const storageIn = (schema: string, extra: { max?: number } = {}) => {
    if (!schemas.includes(schema)) schemas.push(schema);
    const storage = postgresStorage({ url: PG_URL, schema, ...extra });
    open.push(storage);
    return storage;
  };
  afterAll(async () => {
    await Promise.all(open.map((s) => s.close()));
    for (const schema of schemas) await admin.unsafe(`drop schema if exists "${schema}" cascade`);
    await admin.end({ timeout: 5 });
  });

  describe("races across connections", () => {
    const schema = uniqueName("cs_race");
    let setup: PostgresStorage;
    beforeAll(async () => {
      setup = storageIn(schema);
      await setup.createCampaign(campaignFixture("c1", "alice"));
    });

    it("gives exactly one of 20 claimers on 20 separate pools the step", async () => {
      await setup.createJob(jobFixture("claim-race", campaignFixture("c1", "alice")), [chainFixture("claim-race", "soup")]);
      const storages = Array.from({ length: 20 }, () => storageIn(schema, { max: 1 }));
      await Promise.all(storages.map((s) => s.ready()));
      const results = await Promise.all(
        storages.map((s, i) => s.claimStep({ jobId: "claim-race", chain: "soup", step: 0, owner: `w${i}`, leaseMs: 60_000, now: at(100) })),
      );
      expect(results.filter((r) => r.status === "claimed")).toHaveLength(1);
      expect(results.filter((r) => r.status === "busy")).toEqual(Array(19).fill({ status: "busy", leaseExpiresAt: at(60_100) }));
      const [chain] = await setup.listChains("claim-race");
      const winner = results.findIndex((r) => r.status === "claimed");
      expect(chain!.leaseOwner).toBe(`w${winner}`);
    });

    it("serializes concurrent commits of two chains: overlapping creators stored once, counters right", async () => {
      const a = storageIn(schema, { max: 2 });
      const b = storageIn(schema, { max: 2 });
      await Promise.all([a.ready(), b.ready()]);
      for (let round = 0; round < 10; round++) {
        const jobId = `commit-race-${round}`;
        await setup.createJob(jobFixture(jobId, campaignFixture("c1", "alice")), [chainFixture(jobId, "soup"), chainFixture(jobId, "bread")]);
        const claim = (s: PostgresStorage, chain: string, owner: string) =>
          s.claimStep({ jobId, chain, step: 0, owner, leaseMs: 60_000, now: at(100) });
        expect((await claim(a, "soup", "wa")).status).toBe("claimed");
        expect((await claim(b, "bread", "wb")).status).toBe("claimed");
        const page = (keyword: string, ids: string[]) => ids.map((id) => creator(id, keyword));
        const [ra, rb] = await Promise.all([
          a.commitPage({ jobId, chain: "soup", step: 0, owner: "wa", creators: page("soup", ["a", "b", "c", "d"]), nextCursor: "30", exhausted: false, now: at(200) }),
          b.commitPage({ jobId, chain: "bread", step: 0, owner: "wb", creators: page("bread", ["c", "d", "e", "f"]), nextCursor: "30", exhausted: false, now: at(200) }),
        ]);
        expect(ra!.newCreators + rb!.newCreators).toBe(6);
        const job = (await setup.getJob(jobId))!;
        expect(job).toMatchObject({ processedResults: 6, processedRuns: 2, progress: 60 });
        const stored = await setup.listCreators(jobId, { limit: 100 });
        expect(stored.map((c) => c.id).sort()).toEqual(["a", "b", "c", "d", "e", "f"]);
        for (const id of ["c", "d"]) {
          expect([...stored.find((c) => c.id === id)!.matchedKeywords].sort()).toEqual(["bread", "soup"]);
        }
      }
    });

    it("survives workers storming one job (claims, lease takeovers, commits): no deadlock, exact counters", async () => {
      const jobId = "storm";
      const keys = ["k0", "k1", "k2"];
      await setup.createJob(jobFixture(jobId, campaignFixture("c1", "alice"), { targetResults: 1000 }), keys.map((k) => chainFixture(jobId, k)));
      const workers = Array.from({ length: 8 }, () => storageIn(schema, { max: 2 }));
      await Promise.all(workers.map((w) => w.ready()));
      const committed: string[][] = [];
      await Promise.all(
        workers.map(async (w, i) => {
          for (let n = 0; n < 12; n++) {
            const key = keys[(i + n) % keys.length]!;
            const chain = (await w.listChains(jobId)).find((c) => c.key === key)!;
            // A 1 ms lease: other workers take steps over while their first owner is still busy.
            const claim = await w.claimStep({ jobId, chain: key, step: chain.step, owner: `w${i}`, leaseMs: 1, now: new Date() });
            if (claim.status !== "claimed") continue;
            const ids = Array.from({ length: 3 }, (_, j) => `c${(i * 7 + n * 3 + j) % 20}`);
            const result = await w.commitPage({ jobId, chain: key, step: chain.step, owner: `w${i}`, creators: ids.map((id) => creator(id, key)), nextCursor: String(n), exhausted: false, now: new Date() });
            if (result) committed.push(ids);
          }
        }),
      );
      expect(committed.length).toBeGreaterThan(0);
      const job = (await setup.getJob(jobId))!;
      const stored = await setup.listCreators(jobId, { limit: 100 });
      expect(new Set(stored.map((c) => c.id)).size).toBe(stored.length);
      expect(stored.map((c) => c.id).sort()).toEqual([...new Set(committed.flat())].sort());
      expect(job.processedResults).toBe(stored.length);
      expect(job.processedRuns).toBe(committed.length);
      const steps = (await setup.listChains(jobId)).reduce((sum, c) => sum + c.step, 0);
      expect(steps).toBe(committed.length);
    });
  });

  describeFailedCommits(storageIn, uniqueName);

  describe("schema option and migrations", () => {
    it("puts the tables and the migration journal in the given schema, and queries them there", async () => {
      const schema = uniqueName("cs_Custom"); // mixed case: must be quoted everywhere
      const storage = storageIn(schema);
      await storage.createCampaign(campaignFixture("c1", "alice"));
      const tables = await admin`select table_name from information_schema.tables where table_schema = ${schema} order by table_name`;
      expect(tables.map((t) => t.table_name)).toEqual([
        "__creatorsearch_migrations",
        "campaign_creator_keys",
        "campaign_creators",
        "campaigns",
        "creators",
        "search_chains",
        "search_jobs",
        "search_pages",
      ]);
      const fks = await admin`
        select distinct ccu.table_schema from information_schema.constraint_column_usage ccu
        join information_schema.table_constraints tc using (constraint_schema, constraint_name)
        where tc.constraint_type = 'FOREIGN KEY' and tc.table_schema = ${schema}`;
      expect(fks.map((r) => r.table_schema)).toEqual([schema]);
      expect(await admin.unsafe(`select id from "${schema}".campaigns`)).toEqual([{ id: "c1" }]);
      expect(storage.tables.campaigns).toBeDefined();
    });

    it("stores JSON columns as jsonb documents, raw pages as JSON text, and timestamps with milliseconds", async () => {
      const schema = uniqueName("cs_types");
      const storage = storageIn(schema);
      const campaign = await storage.createCampaign(campaignFixture("c1", "alice", { createdAt: new Date("2026-01-01T00:00:00.123Z") }));
      await storage.createJob(jobFixture("j1", campaign), [chainFixture("j1", "soup")]);
      await storage.claimStep({ jobId: "j1", chain: "soup", step: 0, owner: "w", leaseMs: 1000, now: at(1) });
      await storage.commitPage({ jobId: "j1", chain: "soup", step: 0, owner: "w", creators: [creator("a", "soup")], nextCursor: null, exhausted: true, now: at(2) });
      const [row] = await admin.unsafe(
        `select jsonb_typeof(data) as data, jsonb_typeof(matched_keywords) as kw, (select jsonb_typeof(options) from "${schema}".search_jobs) as options,
                (select extract(milliseconds from created_at)::int from "${schema}".campaigns) as ms
         from "${schema}".creators`,
      );
      expect(row).toEqual({ data: "object", kw: "array", options: "object", ms: 123 });
      const raw = { items: [{ id: 1, text: "naïve 🍲" }], cursor: null };
      await storage.savePage({ jobId: "j1", chain: "soup", step: 0, raw, fetchedAt: at(3) });
      const [page] = await admin.unsafe(`select pg_typeof(raw)::text as type, raw from "${schema}".search_pages`);
      expect(page!.type).toBe("text");
      expect(JSON.parse(page!.raw as string)).toEqual(raw);
      expect((await storage.getPage("j1", "soup", 0))!.raw).toEqual(raw);
      // A body parsed by the client is stored as it arrived, spacing and escapes and all.
      const received = '{ "items": [ {"id": 2, "text": "caf\\u00e9"} ],\n  "cursor": 7 }';
      await storage.savePage({ jobId: "j1", chain: "soup", step: 1, raw: parseJsonKeepingText(received), fetchedAt: at(4) });
      const [asReceived] = await admin.unsafe(`select raw from "${schema}".search_pages where step = 1`);
      expect(asReceived!.raw).toBe(received);
      expect((await storage.getPage("j1", "soup", 1))!.raw).toEqual({ items: [{ id: 2, text: "café" }], cursor: 7 });
      expect((await storage.getCampaign("alice", "c1"))!.createdAt).toEqual(new Date("2026-01-01T00:00:00.123Z"));
    });

    it("brings the step's stored page with a claim and the job's chains with a commit", async () => {
      const storage = storageIn(uniqueName("cs_trips"));
      const campaign = await storage.createCampaign(campaignFixture("c1", "alice"));
      await storage.createJob(jobFixture("j1", campaign), [chainFixture("j1", "soup"), chainFixture("j1", "bread")]);
      const first = await storage.claimStep({ jobId: "j1", chain: "soup", step: 0, owner: "w", leaseMs: 1000, now: at(1) });
      expect(first).toMatchObject({ status: "claimed", page: null });
      await storage.savePage({ jobId: "j1", chain: "soup", step: 0, raw: { items: [1] }, fetchedAt: at(2) });
      const again = await storage.claimStep({ jobId: "j1", chain: "soup", step: 0, owner: "w2", leaseMs: 1000, now: at(5000) });
      expect(again).toMatchObject({ status: "claimed", page: { jobId: "j1", chain: "soup", step: 0, raw: { items: [1] }, fetchedAt: at(2) } });
      const committed = await storage.commitPage({ jobId: "j1", chain: "soup", step: 0, owner: "w2", creators: [creator("a", "soup")], nextCursor: "30", exhausted: false, now: at(5001) });
      expect(committed!.chains).toEqual(await storage.listChains("j1"));
      expect(committed!.chains!.map((c) => [c.key, c.step])).toEqual([["bread", 0], ["soup", 1]]);
    });

    it("migrates once when several processes open the same fresh schema at the same time", async () => {
      const schema = uniqueName("cs_concurrent");
      const storages = Array.from({ length: 6 }, () => storageIn(schema, { max: 1 }));
      await Promise.all(storages.map((s) => s.ready()));
      const journal = await admin.unsafe(`select hash from "${schema}".__creatorsearch_migrations`);
      expect(journal).toHaveLength(SHIPPED.length);
      // Reopening finds them applied.
      await storageIn(schema).ready();
      expect(await admin.unsafe(`select hash from "${schema}".__creatorsearch_migrations`)).toHaveLength(SHIPPED.length);
    });

    it("migrates the default schema (public) of a fresh database", async () => {
      const database = uniqueName("cs_db");
      await admin.unsafe(`create database "${database}"`);
      const url = new URL(PG_URL);
      url.pathname = `/${database}`;
      const storage = postgresStorage({ url: url.href });
      try {
        await storage.createCampaign(campaignFixture("c1", "alice"));
        expect(await storage.getCampaign("alice", "c1")).toEqual(campaignFixture("c1", "alice"));
        await storage.close();
        const check = postgres(url.href, { max: 1 });
        const tables = await check`select table_schema, table_name from information_schema.tables where table_schema not in ('pg_catalog', 'information_schema') order by 2`;
        await check.end();
        expect(tables.map((t) => `${t.table_schema}.${t.table_name}`)).toEqual([
          "public.__creatorsearch_migrations",
          "public.campaign_creator_keys",
          "public.campaign_creators",
          "public.campaigns",
          "public.creators",
          "public.search_chains",
          "public.search_jobs",
          "public.search_pages",
        ]);
      } finally {
        await storage.close();
        await admin.unsafe(`drop database if exists "${database}" with (force)`);
      }
    });

    it("with migrate: false, refuses a database missing migrations, naming them; migrate(storage) applies them", async () => {
      const schema = uniqueName("cs_nomigrate");
      schemas.push(schema);
      const storage = postgresStorage({ url: PG_URL, schema, migrate: false });
      open.push(storage);
      const missingAll = new RegExp(`schema "${schema}"\\) is on an older schema version: missing migrations? ${SHIPPED.join(", ")}\\.`);
      await expect(storage.ready()).rejects.toThrow(missingAll);
      await expect(storage.getCampaign("alice", "c1")).rejects.toThrow(ConfigurationError);
      expect(await admin`select 1 from information_schema.schemata where schema_name = ${schema}`).toHaveLength(0);
      expect(await storage.pendingMigrations()).toEqual(SHIPPED);
      expect(await migrate(storage)).toEqual(SHIPPED);
      expect(await migrate(storage)).toEqual([]);
      expect(await storage.getCampaign("alice", "c1")).toBeNull();
      expect(await storage.pendingMigrations()).toEqual([]);
    });

    it("names the one migration an older database lacks", async () => {
      const schema = uniqueName("cs_older");
      await storageIn(schema).ready();
      // The database as a previous release left it: the newest migration not yet applied.
      await admin.unsafe(`delete from "${schema}".__creatorsearch_migrations where created_at = (select max(created_at) from "${schema}".__creatorsearch_migrations)`);
      const older = postgresStorage({ url: PG_URL, schema, migrate: false });
      open.push(older);
      await expect(older.ready()).rejects.toThrow(`is on an older schema version: missing migration ${SHIPPED.at(-1)}. Apply them with \`creatorsearch migrate --db <url>\``);
      expect(await older.pendingMigrations()).toEqual([SHIPPED.at(-1)]);
    });

    it("migrate(db, { schema }) applies them to a drizzle database of your own", async () => {
      const schema = uniqueName("cs_migratedb");
      schemas.push(schema);
      const client = postgres(PG_URL, { max: 1, onnotice: () => {} });
      try {
        expect(await migrate(drizzle(client), { schema })).toEqual(SHIPPED);
        expect(await client.unsafe(`select count(*)::int as n from "${schema}".__creatorsearch_migrations`)).toEqual([{ n: SHIPPED.length }]);
      } finally {
        await client.end();
      }
    });

    it("puts prefixed tables, indexes and journal in the schema with tablePrefix", async () => {
      const schema = uniqueName("cs_prefix");
      schemas.push(schema);
      const storage = postgresStorage({ url: PG_URL, schema, tablePrefix: "app_" });
      open.push(storage);
      // A table of the user's own with one of our names stays untouched.
      await admin.unsafe(`create schema "${schema}"; create table "${schema}".campaigns (mine int)`);
      await storage.createCampaign(campaignFixture("c1", "alice"));
      const tables = await admin`select table_name from information_schema.tables where table_schema = ${schema} order by table_name`;
      expect(tables.map((t) => t.table_name)).toEqual([
        "app___creatorsearch_migrations",
        "app_campaign_creator_keys",
        "app_campaign_creators",
        "app_campaigns",
        "app_creators",
        "app_search_chains",
        "app_search_jobs",
        "app_search_pages",
        "campaigns",
      ]);
      const indexes = await admin`select indexname from pg_indexes where schemaname = ${schema}`;
      expect(indexes.length).toBeGreaterThan(5);
      expect(indexes.filter((i) => !i.indexname.startsWith("app_"))).toEqual([]);
      expect(await admin.unsafe(`select id from "${schema}".app_campaigns`)).toEqual([{ id: "c1" }]);
      expect(storage.tablePrefix).toBe("app_");
    });

    it("refuses an invalid table prefix at once", () => {
      expect(() => postgresStorage({ url: PG_URL, tablePrefix: "bad-prefix" })).toThrow(/Invalid tablePrefix "bad-prefix"/);
      expect(() => postgresStorage({ url: PG_URL, tablePrefix: "x".repeat(21) })).toThrow(ConfigurationError);
    });

    it("runs on a drizzle database you pass in, and leaves it open on close", async () => {
      const schema = uniqueName("cs_owndb");
      schemas.push(schema);
      const client = postgres(PG_URL, { max: 2, onnotice: () => {} });
      const db = drizzle(client);
      const storage = postgresStorage({ db, schema });
      await storage.createCampaign(campaignFixture("c1", "alice"));
      await storage.close();
      expect(await client.unsafe(`select count(*)::int as n from "${schema}".campaigns`)).toEqual([{ n: 1 }]);
      expect(storage.db).toBe(db);
      await client.end();
    });

    it("refuses an invalid schema name at once", () => {
      expect(() => postgresStorage({ url: PG_URL, schema: "" })).toThrow(ConfigurationError);
      expect(() => postgresStorage({ url: PG_URL, schema: "x".repeat(64) })).toThrow(ConfigurationError);
    });
  });

  describeConnectionErrors();

  describe("README", () => {
    it("runs the Postgres block end to end: a job against the sandbox, stored in its schema", async () => {
      const readme = await readFile(join(import.meta.dirname, "..", "README.md"), "utf8");
      const block = /<!-- pg:start -->\s*```ts\n([\s\S]*?)```\s*<!-- pg:end -->/.exec(readme);
      expect(block, "README has a pg block").not.toBeNull();
      const database = uniqueName("cs_readme");
      await admin.unsafe(`create database "${database}"`);
      const url = new URL(PG_URL);
      url.pathname = `/${database}`;
      const sandbox = await startSandboxServer({ port: 0 });
      // Inside the package so @creatorsearch/* resolve through the workspace.
      const dir = await mkdtemp(join(import.meta.dirname, ".pg-readme-"));
      try {
        const file = join(dir, "readme.ts");
        await writeFile(file, block![1]!);
        const { stdout } = await promisify(execFile)(process.execPath, ["--conditions=dev-source", "--import", "tsx", file], {
          cwd: dir,
          env: { ...process.env, DATABASE_URL: url.href, SCRAPECREATORS_API_KEY: "sandbox", SCRAPECREATORS_BASE_URL: sandbox.url },
          timeout: 60_000,
        });
        const [status, found] = stdout.trim().split("\n").at(-1)!.split(" ");
        expect(status).toBe("completed");
        const check = postgres(url.href, { max: 1 });
        const [row] = await check`select count(*)::int as n from creatorsearch.creators`;
        await check.end();
        expect(row!.n).toBe(Number(found));
        expect(row!.n).toBeGreaterThanOrEqual(50);
      } finally {
        await rm(dir, { recursive: true, force: true });
        await sandbox.close();
        await admin.unsafe(`drop database if exists "${database}" with (force)`);
      }
    }, 90_000);
  });
});
