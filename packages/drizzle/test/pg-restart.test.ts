import { type CreatorSearch, StorageUnavailableError, createCreatorSearch, memoryQueue, tiktok } from "@creatorsearch/core";
import { type SandboxServer, createSandbox, startSandboxServer } from "@creatorsearch/sandbox";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type PostgresStorage, postgresStorage } from "../src/pg/index.js";
import { type OwnPostgres, canRunOwnPostgres, startOwnPostgres } from "./support/own-postgres.js";

/*
 * `pg_ctl restart -m fast` in the middle of a job, on a cluster of this file's own (never the
 * shared server): every connection is terminated (57P01), the server refuses connections for a
 * moment, then comes back. The job must go on: no crash, no page bought twice, no step left
 * waiting for a lease.
 */
const describeOwn = canRunOwnPostgres("pg-restart") ? describe : describe.skip;

/** A lease far longer than the restart: a job that finishes well within it did not wait one out. */
const LEASE_MS = 60_000;

describeOwn("a Postgres restart in the middle of a job", () => {
  let pg: OwnPostgres;
  let sandbox: SandboxServer;
  const crashes: unknown[] = [];
  const requests: string[] = [];
  const onCrash = (error: unknown) => crashes.push(error);
  const opened: { cs?: CreatorSearch; storage?: PostgresStorage }[] = [];

  beforeAll(async () => {
    process.on("uncaughtException", onCrash);
    process.on("unhandledRejection", onCrash);
    // Every upstream request, by path and query: a page bought twice is the same request twice.
    const upstream = createSandbox({ latencyMs: 40, resultsPerQuery: 2_000 });
    const counted = Object.assign(Object.create(upstream), {
      fetch: (request: Request) => {
        const url = new URL(request.url);
        requests.push(`${url.pathname}${url.search}`);
        return upstream.fetch(request);
      },
    });
    [pg, sandbox] = await Promise.all([startOwnPostgres(), startSandboxServer({ port: 0, sandbox: counted })]);
  }, 120_000);
  afterEach(async () => {
    for (const { cs, storage } of opened.splice(0)) {
      await cs?.close().catch(() => undefined);
      await storage?.close().catch(() => undefined);
    }
  });
  afterAll(async () => {
    process.off("uncaughtException", onCrash);
    process.off("unhandledRejection", onCrash);
    await sandbox?.close();
    await pg?.destroy();
  }, 60_000);

  it("memory queue: no crash, the job completes, each paid page stored once, in seconds not a lease", async () => {
    requests.length = 0;
    const storage = postgresStorage({ url: pg.url, max: 4 });
    await storage.ready();
    // What the storage threw to the engine: the restart must have hit it, typed as weather.
    const faults: unknown[] = [];
    const inflight = new Set<{ key: string; at: number; args: string }>();
    const debug = setInterval(() => process.env.DEBUG_RESTART && console.log([...inflight].map((c) => `${c.key} ${Date.now() - c.at}ms ${c.args}`), faults.map((f) => (f as Error).message)), 2000);
    debug.unref();
    const watched = new Proxy(storage, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver);
        if (typeof value !== "function") return value;
        return async (...args: unknown[]) => {
          const call = { key: String(key), at: Date.now(), args: JSON.stringify(args).slice(0, 120) };
          inflight.add(call);
          try {
            return await value.apply(target, args);
          } catch (error) {
            faults.push(error);
            throw error;
          } finally {
            inflight.delete(call);
          }
        };
      },
    });
    const cs = createCreatorSearch({
      storage: watched,
      queue: memoryQueue({ concurrency: 4, backoff: { baseMs: 100, maxMs: 1_000 } }),
      platforms: [tiktok({ apiKey: "sandbox", baseUrl: sandbox.url })],
      limits: { stepLeaseMs: LEASE_MS, maxApiCallsPerJob: 200 },
    });
    opened.push({ cs, storage });
    let committed = 0;
    const restartedAfter = new Promise<void>((resolve) => cs.events.on("job.progress", () => ++committed === 4 && resolve()));

    const campaign = await cs.campaigns.create("alice", { name: "restart" });
    const started = Date.now();
    const job = await cs.jobs.start("alice", {
      campaignId: campaign.id,
      platform: "tiktok",
      keywords: ["soup", "bread", "cheese", "olives"],
      targetResults: 300,
    });
    await restartedAfter;
    const committedBeforeRestart = committed;
    await pg.restart();
    const done = await cs.jobs.wait("alice", job.id, { timeoutMs: 45_000, pollMs: 100 });
    const elapsed = Date.now() - started;

    expect(crashes).toEqual([]);
    expect(done.status).toBe("completed");
    expect(done.processedResults).toBeGreaterThanOrEqual(300);
    expect(committed).toBeGreaterThan(committedBeforeRestart); // pages were committed after the restart
    // Every paid call is one upstream request, and no request (keyword, cursor) was made twice.
    expect(requests.length).toBe(done.apiCalls);
    expect(new Set(requests).size).toBe(requests.length);
    expect(faults.length).toBeGreaterThan(0);
    for (const fault of faults) expect(fault).toBeInstanceOf(StorageUnavailableError);
    expect(elapsed).toBeLessThan(LEASE_MS * 0.75);
    // And the chains are freed once the steps still in flight end: every exit path releases.
    await expect.poll(async () => (await storage.listChains(job.id)).filter((c) => c.leaseOwner).map((c) => c.key), { timeout: 10_000 }).toEqual([]);
  }, 90_000);

  it("a failed call carries neither the query's parameters nor the raw page, and is typed retryable", async () => {
    const storage = postgresStorage({ url: pg.url, max: 1 });
    opened.push({ storage });
    await storage.ready();
    await pg.stop();
    try {
      const page = { jobId: "j1", chain: "soup", step: 0, raw: { bio: "write to secret@example.com" }, fetchedAt: new Date() };
      const error = await storage.savePage(page).then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(StorageUnavailableError);
      expect((error as StorageUnavailableError).retryable).toBe(true);
      expect((error as Error).message).toMatch(/^Postgres unavailable: /);
      expect((error as Error).message).not.toContain("secret@example.com");
    } finally {
      await pg.start();
    }
    // Back: the same storage answers again without being reopened.
    expect(await storage.getJob("nope")).toBeNull();
  }, 60_000);
});
