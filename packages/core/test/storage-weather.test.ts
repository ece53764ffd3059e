import { describe, expect, it } from "vitest";
import { type StorageAdapter, StorageUnavailableError, createCreatorSearch, memoryStorage } from "../src/index.js";
import type { StepMessage } from "../src/queue/types.js";
import { drain, manualQueue, scriptedPlatform } from "./helpers.js";

/*
 * A step while the storage is briefly away (DESIGN.md, "Faults are weather"): memory storage
 * whose methods fail with StorageUnavailableError as scripted, real timers (backoff starts at
 * 100 ms), the scripted platform counting its fetches.
 */
const USER = "user-1";
type Script = Partial<Record<keyof StorageAdapter, { fail: number; after?: "write" }>>;

/** `storage` whose scripted methods fail their first `fail` calls (`after: "write"`: applied, then fail, as a lost reply). */
function flaky(storage: StorageAdapter, script: Script): StorageAdapter & { calls: Record<string, number> } {
  const calls: Record<string, number> = {};
  const wrapped: Record<string, unknown> = { ...storage, calls };
  for (const [name, rule] of Object.entries(script)) {
    const method = (storage as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[name]!;
    wrapped[name] = async (...args: unknown[]) => {
      const n = (calls[name] = (calls[name] ?? 0) + 1);
      if (n > rule!.fail) return method(...args);
      if (rule!.after === "write") await method(...args);
      throw new StorageUnavailableError("memory", "Postgres unavailable: admin shutdown (57P01)", { reason: "57P01" });
    };
  }
  return wrapped as unknown as StorageAdapter & { calls: Record<string, number> };
}

function setup(storage: StorageAdapter, pages: Record<string, string[][]>, limits: object = {}, gate?: Promise<void>) {
  const queue = manualQueue();
  const { platform, fetches } = scriptedPlatform(pages, { gate });
  const cs = createCreatorSearch({ storage, queue, platforms: [platform], limits, recoverIntervalMs: 0 });
  const start = async (keywords: string[], targetResults: number) => {
    const campaign = await cs.campaigns.create(USER, { name: "Test" });
    return cs.jobs.start(USER, { campaignId: campaign.id, platform: "scripted", keywords, targetResults });
  };
  return { cs, queue, fetches, start, run: () => drain(cs.runStep, queue) };
}

describe("a step while the storage is away", () => {
  it("keeps a fetched page whose save fails, stores it once the storage is back: bought once", async () => {
    const storage = flaky(memoryStorage(), { savePage: { fail: 3 } });
    const { cs, fetches, start, run } = setup(storage, { a: [["1", "2"], ["3", "4", "5"]] });
    const job = await start(["a"], 5);
    await run();
    expect(fetches).toEqual(["a#0", "a#1"]);
    expect(storage.calls.savePage).toBe(5);
    const done = (await cs.jobs.get(USER, job.id))!;
    expect(done).toMatchObject({ status: "completed", apiCalls: 2, processedResults: 5 });
  });

  it("a commit applied before its reply was lost: the retry is refused, and the next step is queued all the same", async () => {
    const storage = flaky(memoryStorage(), { commitPage: { fail: 1, after: "write" } });
    const { cs, fetches, start, run } = setup(storage, { a: [["1", "2"], ["3", "4"], ["5"]] });
    const job = await start(["a"], 5);
    await run();
    expect(fetches).toEqual(["a#0", "a#1", "a#2"]);
    expect(await cs.jobs.get(USER, job.id)).toMatchObject({ status: "completed", stopReason: "target_reached", processedResults: 5 });
  });

  it("gives up after storageRetryMs and releases the lease as soon as the storage answers; the queue delivers it again", async () => {
    const storage = flaky(memoryStorage(), { savePage: { fail: 100 }, releaseStep: { fail: 1 } });
    const { cs, queue, start } = setup(storage, { a: [["1"]] }, { storageRetryMs: 300 });
    const failed: { willRetry: boolean; error: unknown }[] = [];
    cs.events.on("step.failed", (e) => failed.push(e));
    const job = await start(["a"], 5);
    const message = queue.messages.shift() as StepMessage;
    const error = await cs.runStep(message).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect(failed).toMatchObject([{ willRetry: true }]);
    expect(storage.calls.savePage).toBeGreaterThan(1);
    expect(storage.calls.releaseStep).toBe(2);
    expect((await cs.jobs.chains(USER, job.id))[0]).toMatchObject({ leaseOwner: null, step: 0 });
  });

  it("holds no page beyond maxHeldPageBytes: its first failure is the step's", async () => {
    const storage = flaky(memoryStorage(), { savePage: { fail: 1 } });
    const { cs, queue, start } = setup(storage, { a: [["1"]] }, { maxHeldPageBytes: 10 });
    await start(["a"], 5);
    const error = await cs.runStep(queue.messages.shift()!).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect(storage.calls.savePage).toBe(1);
  });
});

describe("the lease of a running step", () => {
  it("is renewed while the step runs: a step longer than its lease is not taken over", async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const storage = memoryStorage();
    const { cs, queue, start } = setup(storage, { a: [["1"]] }, { stepLeaseMs: 450 }, gate);
    const job = await start(["a"], 5);
    const message = queue.messages.shift()!;
    const running = cs.runStep(message);
    await new Promise((r) => setTimeout(r, 1_350)); // three leases
    const [chain] = await storage.listChains(job.id);
    expect(chain!.leaseOwner).not.toBeNull();
    expect(chain!.leaseExpiresAt!.getTime()).toBeGreaterThan(Date.now());
    const other = await storage.claimStep({ ...message, owner: "another-worker", leaseMs: 450, now: new Date() });
    expect(other.status).toBe("busy");
    open();
    await running;
    expect(await cs.jobs.get(USER, job.id)).toMatchObject({ processedRuns: 1 });
    expect((await storage.listChains(job.id))[0]!.leaseOwner).toBeNull();
  });

  it("is taken over soon when its worker is gone (no heartbeat)", async () => {
    const storage = memoryStorage();
    const { queue, start } = setup(storage, { a: [["1"]] }, { stepLeaseMs: 300 });
    await start(["a"], 5);
    const message = queue.messages[0]!;
    // A worker that claimed and died: nothing renews its lease.
    expect((await storage.claimStep({ ...message, owner: "dead", leaseMs: 300, now: new Date() })).status).toBe("claimed");
    await new Promise((r) => setTimeout(r, 400));
    expect((await storage.claimStep({ ...message, owner: "alive", leaseMs: 300, now: new Date() })).status).toBe("claimed");
  });
});
