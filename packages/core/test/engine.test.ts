import { describe, expect, it } from "vitest";
import {
  NotFoundError,
  StepBusyError,
  ValidationError,
  type StorageAdapter,
  createCreatorSearch,
  memoryQueue,
  memoryStorage,
} from "../src/index.js";
import { drain, manualQueue, scriptedPlatform } from "./helpers.js";

const USER = "user-1";

function setup(opts: { pages?: Record<string, string[][]>; storage?: StorageAdapter; limits?: object; gate?: Promise<void> } = {}) {
  let clock = new Date("2026-01-01T00:00:00Z").getTime();
  const storage = opts.storage ?? memoryStorage();
  const queue = manualQueue();
  const { platform, fetches } = scriptedPlatform(opts.pages, { gate: opts.gate });
  const cs = createCreatorSearch({ storage, queue, platforms: [platform], limits: opts.limits, recoverIntervalMs: 0, now: () => new Date(clock) });
  const start = async (keywords: string[], targetResults = 100, extra: object = {}) => {
    const campaign = await cs.campaigns.create(USER, { name: "Test" });
    return cs.jobs.start(USER, { campaignId: campaign.id, platform: "scripted", keywords, targetResults, ...extra });
  };
  return { cs, storage, queue, fetches, start, tick: (ms: number) => void (clock += ms), run: () => drain(cs.runStep, queue) };
}

const handles = async (cs: ReturnType<typeof setup>["cs"], jobId: string) =>
  (await cs.results.list(USER, { jobId, limit: 1000 })).items.map((c) => c.id).sort();

describe("job start validation", () => {
  it("trims, drops empty-after-trim as an error, and de-duplicates keywords", async () => {
    const { cs, start } = setup();
    const job = await start([" soup ", "Soup", "bread"]);
    expect(job.keywords).toEqual(["soup", "bread"]);
    expect(job.targetResults).toBe(100);
    expect((await cs.jobs.chains(USER, job.id)).map((c) => c.input)).toEqual(["soup", "bread"]);
  });

  it.each([
    [{ keywords: [] }, "keywords: at least one keyword is required"],
    [{ keywords: ["ok", "  "] }, "keywords.1: must not be empty"],
    [{ keywords: ["x".repeat(101)] }, "keywords.0: must be at most 100 characters"],
    [{ keywords: Array.from({ length: 21 }, (_, i) => `k${i}`) }, "keywords: at most 20 keywords"],
    [{ keywords: ["a"], targetResults: 0 }, "targetResults: must be at least 1"],
    [{ keywords: ["a"], targetResults: 10_001 }, "targetResults: must be at most 10000"],
    [{ keywords: ["a"], targetResults: 1.5 }, "targetResults: must be a whole number"],
    [{ keywords: ["a"], platform: "myspace" }, 'platform: must be one of scripted (got "myspace")'],
    [{}, "keywords: at least one keyword is required"],
  ])("refuses %j with a message naming the field", async (input, message) => {
    const { cs } = setup();
    const campaign = await cs.campaigns.create(USER, { name: "c" });
    const error = await cs.jobs.start(USER, { campaignId: campaign.id, platform: "scripted", ...input }).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toContain(message);
  });

  it("refuses another user's campaign as not found", async () => {
    const { cs } = setup();
    const campaign = await cs.campaigns.create("someone-else", { name: "theirs" });
    await expect(cs.jobs.start(USER, { campaignId: campaign.id, platform: "scripted", keywords: ["a"] })).rejects.toThrow(NotFoundError);
    expect(await cs.campaigns.get(USER, campaign.id)).toBeNull();
  });

  it("hides another user's job on every call", async () => {
    const { cs, start } = setup();
    const job = await start(["a"]);
    expect(await cs.jobs.get("intruder", job.id)).toBeNull();
    await expect(cs.jobs.cancel("intruder", job.id)).rejects.toThrow(NotFoundError);
    await expect(cs.results.list("intruder", { jobId: job.id })).rejects.toThrow(NotFoundError);
    await expect(cs.jobs.wait("intruder", job.id)).rejects.toThrow(NotFoundError);
    expect(await cs.jobs.list("intruder")).toEqual([]);
  });

  it("still hides a job's results from another user after its owner has read them", async () => {
    const { cs, start } = setup();
    const job = await start(["a"]);
    await cs.results.list(USER, { jobId: job.id });
    await expect(cs.results.list("intruder", { jobId: job.id })).rejects.toThrow(NotFoundError);
    const iterated = (async () => {
      for await (const _ of cs.results.iterate("intruder", job.id));
    })();
    await expect(iterated).rejects.toThrow(NotFoundError);
    await expect(cs.results.list(USER, { jobId: "no-such-job" })).rejects.toThrow(NotFoundError);
  });
});

describe("how a job ends", () => {
  it("completes when unique creators reach the target; progress follows unique creators", async () => {
    const { cs, start, run } = setup({ pages: { a: [["1", "2", "3"], ["3", "4", "5"], ["6", "7"], ["8"]] } });
    const job = await start(["a"], 5);
    await run();
    const done = (await cs.jobs.get(USER, job.id))!;
    expect(done).toMatchObject({ status: "completed", stopReason: "target_reached", processedResults: 5, progress: 100, processedRuns: 2, apiCalls: 2 });
  });

  it("completes when every chain is exhausted, counting creators across keywords once", async () => {
    const { cs, start, run } = setup({ pages: { a: [["1", "2"], ["2", "3"]], b: [["3", "4"]] } });
    const job = await start(["a", "b"], 100);
    await run();
    const done = (await cs.jobs.get(USER, job.id))!;
    expect(done).toMatchObject({ status: "completed", stopReason: "exhausted", processedResults: 4, processedRuns: 3, progress: 4 });
    const three = (await cs.results.list(USER, { jobId: job.id })).items.find((c) => c.id === "3")!;
    expect(three.matchedKeywords.sort()).toEqual(["a", "b"]);
  });

  it("stops when the API-call budget is spent", async () => {
    const { cs, start, run } = setup({ limits: { maxApiCallsPerJob: 3 } });
    const job = await start(["endless"], 10_000);
    await run();
    expect(await cs.jobs.get(USER, job.id)).toMatchObject({ status: "completed", stopReason: "budget_spent", apiCalls: 3 });
  });

  it("honours a job's own lower budget", async () => {
    const { cs, start, run, fetches } = setup();
    const job = await start(["x", "y"], 10_000, { maxApiCalls: 5 });
    await run();
    expect(fetches).toHaveLength(5);
    expect(await cs.jobs.get(USER, job.id)).toMatchObject({ status: "completed", stopReason: "budget_spent", apiCalls: 5 });
  });

  it("stops after K pages in a row bring nothing new", async () => {
    const same = ["1", "2"];
    const { cs, start, run } = setup({ pages: { a: [same, same, same, same, same, same] }, limits: { maxDryPages: 2 } });
    const job = await start(["a"], 100);
    await run();
    expect(await cs.jobs.get(USER, job.id)).toMatchObject({ status: "completed", stopReason: "no_new_results", processedRuns: 3, dryPages: 2 });
  });

  it("stops on cancel, discarding a page in flight", async () => {
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const { cs, start, queue } = setup({ gate });
    const job = await start(["a"], 100);
    const inFlight = cs.runStep(queue.messages.shift()!);
    await new Promise((r) => setTimeout(r, 10));
    expect((await cs.jobs.cancel(USER, job.id)).status).toBe("cancelled");
    open();
    await inFlight;
    const after = (await cs.jobs.get(USER, job.id))!;
    expect(after).toMatchObject({ status: "cancelled", stopReason: "cancelled", processedResults: 0 });
    expect(queue.messages).toHaveLength(0);
  });

  it("times out a job past its deadline", async () => {
    const { cs, start, run, tick } = setup({ limits: { jobTimeoutMs: 60_000 } });
    const job = await start(["a"], 100);
    tick(61_000);
    await run();
    const done = (await cs.jobs.get(USER, job.id))!;
    expect(done).toMatchObject({ status: "timeout", stopReason: "timeout", apiCalls: 0 });
    expect(done.error).toMatch(/time limit of 60 s/);
  });

  it("names the job's own time limit when a process with other limits times it out", async () => {
    const started = setup({ limits: { jobTimeoutMs: 20_000 } });
    const job = await started.start(["a"], 100);
    // Another process on the same storage, with the default limits and a clock past the deadline.
    const other = setup({ storage: started.storage });
    other.tick(21_000);
    expect(await other.cs.recoverStalled()).toMatchObject({ finished: 1 });
    const done = (await other.cs.jobs.get(USER, job.id))!;
    expect(done).toMatchObject({ status: "timeout" });
    expect(done.error).toMatch(/time limit of 20 s/);
  });

  it("ends with error and a clear message on a non-retryable platform error", async () => {
    const { cs, start, queue } = setup();
    const platform = cs.platforms.get("scripted")!;
    platform.fetchPage = async () => {
      const { UpstreamAuthError } = await import("../src/index.js");
      throw new UpstreamAuthError("ScrapeCreators refused the API key (401): Invalid API key. Check SCRAPECREATORS_API_KEY.");
    };
    const job = await start(["a"]);
    await cs.runStep(queue.messages.shift()!); // acknowledged: retrying cannot help
    expect(await cs.jobs.get(USER, job.id)).toMatchObject({ status: "error", stopReason: "error", error: expect.stringMatching(/refused the API key/) });
  });
});

describe("step invariants under at-least-once delivery", () => {
  it("the same step delivered twice at once makes one API call and the same results", async () => {
    const pages = { a: [["1", "2", "3"], ["4", "5"]] };
    const control = setup({ pages });
    const controlJob = await control.start(["a"]);
    await control.run();

    const { cs, start, queue, fetches } = setup({ pages });
    const job = await start(["a"]);
    const message = queue.messages.shift()!;
    const outcomes = await Promise.allSettled([cs.runStep(message), cs.runStep(message)]);
    // One delivery runs the step; the other finds it held and is re-delivered later (or finds it done).
    expect(outcomes.filter((o) => o.status === "fulfilled").length).toBeGreaterThanOrEqual(1);
    for (const o of outcomes) if (o.status === "rejected") expect(o.reason).toBeInstanceOf(StepBusyError);
    await cs.runStep(message); // the re-delivery: a no-op
    expect(fetches).toEqual(["a#0"]);
    await drain(cs.runStep, queue);
    expect(fetches).toEqual(["a#0", "a#1"]);
    expect(await handles(cs, job.id)).toEqual(await handles(control.cs, controlJob.id));
    expect((await cs.jobs.get(USER, job.id))!.processedRuns).toBe(2);
  });

  it("a redelivery after a crash between storing the raw page and the commit pays no second call", async () => {
    const storage = memoryStorage();
    let crash = true;
    const crashing: StorageAdapter = {
      ...storage,
      async commitPage(request) {
        if (crash) {
          crash = false;
          throw new Error("process killed");
        }
        return storage.commitPage(request);
      },
      // A killed process releases nothing: the lease must expire.
      async releaseStep() {},
    };
    const { cs, start, queue, fetches, tick } = setup({ storage: crashing, pages: { a: [["1", "2"]] } });
    const job = await start(["a"]);
    const message = queue.messages.shift()!;
    await expect(cs.runStep(message)).rejects.toThrow("process killed");
    expect(fetches).toEqual(["a#0"]);
    await expect(cs.runStep(message)).rejects.toThrow(StepBusyError); // lease still live
    tick(cs.limits.stepLeaseMs + 1);
    await cs.runStep(message);
    expect(fetches).toEqual(["a#0"]);
    expect(await cs.jobs.get(USER, job.id)).toMatchObject({ status: "completed", processedResults: 2, apiCalls: 1 });
  });

  it("a crash between the commit and the enqueue is healed by recoverStalled()", async () => {
    const { cs, start, queue, fetches } = setup({ pages: { a: [["1"], ["2"], ["3"]] } });
    const job = await start(["a"]);
    queue.failNextEnqueue();
    await expect(cs.runStep(queue.messages.shift()!)).rejects.toThrow("simulated crash");
    expect(queue.messages).toHaveLength(0);
    expect((await cs.jobs.get(USER, job.id))!.status).toBe("processing");
    expect(await cs.recoverStalled()).toEqual({ jobs: 1, finished: 0, requeued: 1 });
    await drain(cs.runStep, queue);
    expect(fetches).toEqual(["a#0", "a#1", "a#2"]);
    expect(await cs.jobs.get(USER, job.id)).toMatchObject({ status: "completed", stopReason: "exhausted", processedResults: 3 });
  });

  it("recoverStalled() re-enqueues nothing twice and times out overdue jobs", async () => {
    const { cs, start, queue, tick } = setup({ limits: { jobTimeoutMs: 1_000 } });
    await start(["a", "b"]);
    expect(queue.messages).toHaveLength(2);
    expect((await cs.recoverStalled()).requeued).toBe(2);
    expect(queue.messages).toHaveLength(2); // same idempotency keys: collapsed
    tick(2_000);
    expect(await cs.recoverStalled()).toEqual({ jobs: 1, finished: 1, requeued: 0 });
  });
});

describe("results", () => {
  it("pages with a stable cursor and exports CSV and JSON", async () => {
    const { cs, start, run } = setup({ pages: { a: [["1", "2", "3"], ["4", "5"]] } });
    const job = await start(["a"]);
    await run();
    const first = await cs.results.list(USER, { jobId: job.id, limit: 2 });
    const second = await cs.results.list(USER, { jobId: job.id, limit: 2, after: first.nextCursor });
    const third = await cs.results.list(USER, { jobId: job.id, limit: 2, after: second.nextCursor });
    expect([...first.items, ...second.items, ...third.items].map((c) => c.id)).toEqual(["1", "2", "3", "4", "5"]);
    expect([first.hasMore, second.hasMore, third.hasMore]).toEqual([true, true, false]);
    const empty = await cs.results.list(USER, { jobId: job.id, after: third.nextCursor });
    expect(empty).toEqual({ items: [], nextCursor: third.nextCursor, hasMore: false });
    const exact = await cs.results.list(USER, { jobId: job.id, limit: 5 });
    expect(exact.hasMore).toBe(false);

    let csv = "";
    for await (const chunk of cs.results.export(USER, { jobId: job.id, format: "csv" })) csv += chunk;
    const lines = csv.trim().split("\n");
    expect(lines[0]).toMatch(/^platform,handle,name,followers/);
    expect(lines).toHaveLength(6);
    let json = "";
    for await (const chunk of cs.results.export(USER, { jobId: job.id, format: "json" })) json += chunk;
    expect(JSON.parse(json).map((c: { id: string }) => c.id)).toEqual(["1", "2", "3", "4", "5"]);
    await expect(cs.results.list(USER, { jobId: job.id, after: "abc" })).rejects.toThrow(/after: must be a cursor/);
  });

  it("runs end to end on the memory queue and wait() resolves", async () => {
    const { platform } = scriptedPlatform({ a: [["1", "2"], ["3"]], b: [["4"]] });
    const cs = createCreatorSearch({ storage: memoryStorage(), queue: memoryQueue({ concurrency: 2 }), platforms: [platform], recoverIntervalMs: 0 });
    const events: string[] = [];
    cs.events.on("job.progress", ({ newCreators }) => events.push(`+${newCreators}`));
    cs.events.on("job.completed", () => events.push("completed"));
    const campaign = await cs.campaigns.create(USER, { name: "e2e" });
    expect(campaign.status).toBe("draft");
    const job = await cs.jobs.start(USER, { campaignId: campaign.id, platform: "scripted", keywords: ["a", "b"] });
    const done = await cs.jobs.wait(USER, job.id, { timeoutMs: 5_000 });
    expect(done).toMatchObject({ status: "completed", processedResults: 4 });
    expect(events.at(-1)).toBe("completed");
    expect((await cs.campaigns.get(USER, campaign.id))!.status).toBe("active");
    await cs.close();
  });
});
