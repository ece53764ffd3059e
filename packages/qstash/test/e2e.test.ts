import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type CreatorSearch,
  type PlatformAdapter,
  TIKTOK_KEYWORD_SEARCH_PATH,
  createCreatorSearch,
  devAuth,
  memoryQueue,
  memoryStorage,
  tiktok,
} from "@creatorsearch/core";
import { toNodeHandler } from "@creatorsearch/core/node";
import { sqliteStorage } from "@creatorsearch/drizzle/sqlite";
import { type SandboxServer, startSandboxServer } from "@creatorsearch/sandbox";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { qstashQueue } from "../src/index.js";
import { type QStashStandIn, createQStashStandIn, qstashHandlers } from "../src/testing/index.js";

/*
 * Whole path, real parts: the engine on a SQLite file publishes through @upstash/qstash's Client
 * (msw routes the QStash API to the stand-in), the stand-in POSTs signed deliveries over HTTP to a
 * node:http server running cs.handler (POST /api/qstash/process-scraping -> cs.receiveDelivery),
 * and steps call a sandbox ScrapeCreators server over HTTP.
 */
const USER = "user_e2e";
const KEYWORDS = ["sourdough", "ramen"];
const SANDBOX = { resultsPerQuery: 140, pageSize: 30, seed: "qstash-e2e" };
const msw = setupServer();
let dir: string;

beforeAll(async () => {
  msw.listen({ onUnhandledRequest: "bypass" });
  dir = await mkdtemp(join(tmpdir(), "cs-qstash-"));
});
afterAll(async () => {
  msw.close();
  await rm(dir, { recursive: true, force: true });
});

/** A node:http server whose handler is set once `cs` exists (the callback URL needs the port first). */
async function webhookServer() {
  let handle: ReturnType<typeof toNodeHandler> = (_req, res) => void res.writeHead(503).end();
  const server: Server = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    callbackUrl: `http://127.0.0.1:${port}/api/qstash/process-scraping`,
    serve: (cs: CreatorSearch) => void (handle = toNodeHandler(cs)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function creatorsOf(cs: CreatorSearch, jobId: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const c of cs.results.iterate(USER, jobId)) ids.push(`${c.id}:${[...c.matchedKeywords].sort().join("|")}`);
  return ids.sort();
}

/** The same job on the in-process memory queue: what every QStash run must reproduce. */
async function baseline(): Promise<string[]> {
  const sandbox = await startSandboxServer(SANDBOX);
  const cs = createCreatorSearch({
    storage: memoryStorage(),
    queue: memoryQueue(),
    platforms: [tiktok({ apiKey: "sandbox", baseUrl: sandbox.url })],
    recoverIntervalMs: 0,
  });
  try {
    const campaign = await cs.campaigns.create(USER, { name: "baseline" });
    const job = await cs.jobs.start(USER, { campaignId: campaign.id, platform: "tiktok", keywords: KEYWORDS, targetResults: 10_000 });
    await cs.jobs.wait(USER, job.id, { timeoutMs: 30_000 });
    return await creatorsOf(cs, job.id);
  } finally {
    await cs.close();
    await sandbox.close();
  }
}

describe("qstashQueue end to end (stand-in, real HTTP webhook, SQLite, sandbox server)", () => {
  let sandbox: SandboxServer;
  let webhook: Awaited<ReturnType<typeof webhookServer>>;
  let standIn: QStashStandIn;
  let cs: CreatorSearch | undefined;
  let expected: string[];

  beforeAll(async () => {
    expected = await baseline();
    expect(expected.length).toBeGreaterThan(100);
  });
  beforeEach(async () => {
    sandbox = await startSandboxServer(SANDBOX);
    webhook = await webhookServer();
  });
  afterEach(async () => {
    await cs?.close();
    cs = undefined;
    await standIn?.close();
    await webhook.close();
    await sandbox.close();
    msw.resetHandlers();
  });

  const start = (options: { duplicateDeliveries?: number; platform?: PlatformAdapter; retries?: number } = {}) => {
    standIn = createQStashStandIn({ duplicateDeliveries: options.duplicateDeliveries ?? 0 });
    msw.use(...qstashHandlers(standIn));
    cs = createCreatorSearch({
      storage: sqliteStorage({ file: join(dir, `${globalThis.crypto.randomUUID()}.db`) }),
      queue: qstashQueue({
        ...standIn.credentials,
        callbackUrl: webhook.callbackUrl,
        retries: options.retries ?? 3,
        retryDelay: "100",
        env: {},
      }),
      platforms: [options.platform ?? tiktok({ apiKey: "sandbox", baseUrl: sandbox.url })],
      http: { authenticate: devAuth({ env: {} }) },
      recoverIntervalMs: 0,
      limits: { stepLeaseMs: 2_000 },
    });
    webhook.serve(cs);
    return cs;
  };

  const runJob = async (cs: CreatorSearch, keywords = KEYWORDS) => {
    const campaign = await cs.campaigns.create(USER, { name: "qstash e2e" });
    const started = await cs.jobs.start(USER, { campaignId: campaign.id, platform: "tiktok", keywords, targetResults: 10_000 });
    return cs.jobs.wait(USER, started.id, { timeoutMs: 60_000, pollMs: 50 });
  };

  it("finishes a job with the same creators as the memory queue, one API call per page", async () => {
    const job = await runJob(start());
    expect(job.status).toBe("completed");
    expect(job.stopReason).toBe("exhausted");
    expect(await creatorsOf(cs!, job.id)).toEqual(expected);
    const pages = (await cs!.jobs.chains(USER, job.id)).reduce((sum, c) => sum + c.step, 0);
    expect(sandbox.sandbox.requestCount(TIKTOK_KEYWORD_SEARCH_PATH)).toBe(pages);
    expect(job.apiCalls).toBe(pages);
    // Every message was published with the step key as dedupe id, flow control and the failure callback.
    const first = standIn.messages[0]!;
    expect(first.deduplicationId).toMatch(new RegExp(`^${job.id}:k[01]:0$`));
    expect(first.flowControl).toEqual({ key: "creatorsearch-scrapecreators", value: "parallelism=10" });
    expect(first.failureCallback).toBe(`${webhook.callbackUrl}?qstash=failure`);
    expect(standIn.deliveries.every((d) => d.status === 200)).toBe(true);
  });

  it("duplicate deliveries of every message (sent at once) make no second API call", async () => {
    const job = await runJob(start({ duplicateDeliveries: 2 }));
    await standIn.onIdle();
    expect(job.status).toBe("completed");
    expect(await creatorsOf(cs!, job.id)).toEqual(expected);
    const pages = (await cs!.jobs.chains(USER, job.id)).reduce((sum, c) => sum + c.step, 0);
    expect(sandbox.sandbox.requestCount(TIKTOK_KEYWORD_SEARCH_PATH)).toBe(pages);
    expect(standIn.deliveries.filter((d) => d.duplicate).length).toBeGreaterThanOrEqual(2 * pages);
    // Duplicates are acknowledged (done, or re-published after the step's lease) and never fail the message.
    expect(standIn.messages.filter((m) => !m.isFailureCallback).every((m) => m.state === "delivered")).toBe(true);
  });

  it("a step that keeps failing: QStash retries, then its failure callback (over HTTP) ends the job with error", async () => {
    let calls = 0;
    const broken: PlatformAdapter = {
      ...tiktok({ apiKey: "sandbox", baseUrl: sandbox.url }),
      async fetchPage() {
        calls += 1;
        throw new Error("connection reset by peer");
      },
    };
    const job = await runJob(start({ platform: broken, retries: 1 }), ["sourdough"]);
    await standIn.onIdle();
    expect(job.status).toBe("error");
    expect(job.error).toMatch(/QStash gave up after 1 retries \(last response 500: .*connection reset by peer/);
    expect(calls).toBe(2); // the first delivery and one retry
    const callbacks = standIn.deliveries.filter((d) => d.url.endsWith("?qstash=failure"));
    expect(callbacks.map((d) => d.status)).toEqual([200]);
  });

  it("QStash down when a step publishes the next one: recoverStalled() heals the chain, no page is bought twice", async () => {
    const cs = start();
    let failed = false;
    cs.events.on("job.progress", () => {
      if (failed) return;
      failed = true;
      standIn.failNextPublishes(1); // the next step's publish, right after the first commit
    });
    const campaign = await cs.campaigns.create(USER, { name: "outage" });
    const started = await cs.jobs.start(USER, { campaignId: campaign.id, platform: "tiktok", keywords: ["sourdough"], targetResults: 10_000 });
    // The failed delivery is retried (500), finds its step done, and the chain has no message in flight.
    await standIn.onIdle();
    expect((await cs.jobs.get(USER, started.id))!.status).toBe("processing");
    const stalled = await cs.jobs.chains(USER, started.id);
    expect(stalled[0]!.step).toBe(1);
    expect(standIn.deliveries.some((d) => d.status === 500)).toBe(true);

    const recovered = await cs.recoverStalled();
    expect(recovered.requeued).toBe(1);
    const job = await cs.jobs.wait(USER, started.id, { timeoutMs: 60_000, pollMs: 50 });
    expect(job.status).toBe("completed");
    const pages = (await cs.jobs.chains(USER, job.id)).reduce((sum, c) => sum + c.step, 0);
    expect(pages).toBeGreaterThan(1);
    expect(sandbox.sandbox.requestCount(TIKTOK_KEYWORD_SEARCH_PATH)).toBe(pages);
  });

  it("over HTTP: a forged delivery is 401 and runs nothing; a signed one replayed is 401 the second time", async () => {
    const cs = start();
    const campaign = await cs.campaigns.create(USER, { name: "forgery" });
    const job = await cs.jobs.start(USER, { campaignId: campaign.id, platform: "tiktok", keywords: ["x"], targetResults: 10_000 });
    await cs.jobs.cancel(USER, job.id); // the queued first step finds a cancelled job and does nothing
    await standIn.onIdle();
    const before = sandbox.sandbox.totalRequests;
    const body = JSON.stringify({ jobId: job.id, chain: "k0", step: 0 });
    const post = (signature: string) =>
      fetch(webhook.callbackUrl, { method: "POST", headers: { "content-type": "application/json", "upstash-signature": signature }, body });
    const forged = await post(await createQStashStandIn().sign(webhook.callbackUrl, body)); // another QStash's keys
    expect(forged.status).toBe(401);
    const signature = await standIn.sign(webhook.callbackUrl, body);
    expect((await post(signature)).status).toBe(200);
    const replay = await post(signature);
    expect(replay.status).toBe(401);
    expect(await replay.text()).toContain("replay");
    expect(sandbox.sandbox.totalRequests).toBe(before);
  });
});
