/**
 * `cs.close()` always ends: steps in flight get the shutdown timeout to finish, then hand back
 * (lease released, message returned to the queue) so another worker takes them at once.
 */
import { describe, expect, it } from "vitest";
import {
  ConfigurationError,
  type PlatformAdapter,
  ShutdownError,
  type StorageAdapter,
  createCreatorSearch,
  memoryQueue,
  memoryStorage,
} from "../src/index.js";
import { scriptedPlatform } from "./helpers.js";

const USER = "user-1";

/** The scripted platform, but every fetch waits on `behaviour` (an upstream that never answers...). */
function stuckPlatform(behaviour: "ignore-signal" | "honour-signal") {
  const { platform } = scriptedPlatform();
  const fetches: string[] = [];
  const stuck: PlatformAdapter = {
    ...platform,
    fetchPage: ({ chain, signal }) => {
      fetches.push(chain.key);
      return new Promise((_, reject) => {
        if (behaviour === "honour-signal") signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
      });
    },
  };
  return { platform: stuck, fetches };
}

async function startJob(cs: ReturnType<typeof createCreatorSearch>, keywords = ["a"]) {
  const campaign = await cs.campaigns.create(USER, { name: "shutdown" });
  return cs.jobs.start(USER, { campaignId: campaign.id, platform: "scripted", keywords, targetResults: 10 });
}

async function until(done: () => boolean | Promise<boolean>, what: string) {
  const deadline = Date.now() + 5_000;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Storage that stops answering `releaseStep` and `close` (a database gone mid-shutdown). */
function unansweringRelease(storage: StorageAdapter): StorageAdapter {
  return new Proxy(storage, {
    get(target, name, receiver) {
      if (name === "releaseStep" || name === "close") return () => new Promise(() => undefined);
      return Reflect.get(target, name, receiver);
    },
  });
}

describe("cs.close() on shutdown", () => {
  it.each(["ignore-signal", "honour-signal"] as const)(
    "hands back a step stuck upstream (%s) after the timeout: lease released, job left running, then finished by the next worker",
    async (behaviour) => {
      const storage = memoryStorage();
      const stuck = stuckPlatform(behaviour);
      const failures: { willRetry: boolean }[] = [];
      const first = createCreatorSearch({ storage: { ...storage, close: async () => undefined }, queue: memoryQueue(), platforms: [stuck.platform], recoverIntervalMs: 0 });
      first.events.on("step.failed", ({ willRetry }) => failures.push({ willRetry }));
      const job = await startJob(first);
      await until(() => stuck.fetches.length === 1, "the step to call upstream");
      expect((await storage.listChains(job.id))[0]!.leaseOwner).not.toBeNull();

      const started = performance.now();
      await first.close({ timeoutMs: 100 });
      expect(performance.now() - started).toBeLessThan(2_000);
      const [chain] = await storage.listChains(job.id);
      expect(chain).toMatchObject({ step: 0, leaseOwner: null });
      expect((await storage.getJob(job.id))!.status).not.toBe("error");
      expect(failures.every((f) => f.willRetry)).toBe(true);

      // The next worker finds the chain free at once (no lease to wait out) and finishes the job.
      const { platform } = scriptedPlatform();
      const second = createCreatorSearch({ storage, queue: memoryQueue(), platforms: [platform], recoverIntervalMs: 60_000 });
      const done = await second.jobs.wait(USER, job.id, { timeoutMs: 5_000, pollMs: 20 });
      expect(done).toMatchObject({ status: "completed", stopReason: "target_reached" });
      await second.close();
    },
  );

  it("lets a step that finishes within the timeout commit", async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const { platform, fetches } = scriptedPlatform({ a: [["1", "2"], ["3"]] }, { gate });
    const storage = memoryStorage();
    const cs = createCreatorSearch({ storage: { ...storage, close: async () => undefined }, queue: memoryQueue(), platforms: [platform], recoverIntervalMs: 0 });
    const job = await startJob(cs);
    await until(() => fetches.length === 1, "the step to call upstream");
    const closed = cs.close({ timeoutMs: 5_000 });
    setTimeout(open, 50);
    await closed;
    expect((await storage.listChains(job.id))[0]).toMatchObject({ step: 1, leaseOwner: null });
    expect(fetches).toEqual(["a#0"]); // the next step was not started by a closing queue
  });

  it("ends even when the database stops answering during the shutdown", async () => {
    const storage = memoryStorage();
    const stuck = stuckPlatform("ignore-signal");
    const cs = createCreatorSearch({ storage: unansweringRelease(storage), queue: memoryQueue(), platforms: [stuck.platform], recoverIntervalMs: 0 });
    await startJob(cs);
    await until(() => stuck.fetches.length === 1, "the step to call upstream");
    const started = performance.now();
    await cs.close({ timeoutMs: 50 });
    // The timeout, then the bounded wait for a database that never answers close().
    expect(performance.now() - started).toBeLessThan(7_000);
  }, 15_000);

  it("rejects a negative shutdownTimeoutMs and shows the hand-back error's semantics", () => {
    const { platform } = scriptedPlatform();
    expect(() => createCreatorSearch({ storage: memoryStorage(), queue: memoryQueue(), platforms: [platform], shutdownTimeoutMs: -1 })).toThrow(ConfigurationError);
    const error = new ShutdownError();
    expect(error).toMatchObject({ code: "CLOSED", retryable: true });
  });
});
