import { describe, expect, it } from "vitest";
import { CreatorSearchError, RetryAfterError, type StepMessage, memoryQueue } from "../src/index.js";

const msg = (step: number): StepMessage => ({ jobId: "j", chain: "k0", step });
const key = (m: StepMessage) => `${m.jobId}:${m.chain}:${m.step}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("memoryQueue", () => {
  it("delivers, collapses duplicates by idempotency key, and frees the key afterwards", async () => {
    const q = memoryQueue();
    const seen: number[] = [];
    await q.start({ handle: async (m) => void seen.push(m.step), onFailed: async () => {} });
    const a = await q.enqueue(msg(1), { idempotencyKey: key(msg(1)), delayMs: 20 });
    const b = await q.enqueue(msg(1), { idempotencyKey: key(msg(1)) });
    expect(b).toEqual({ messageId: a.messageId, deduplicated: true });
    await q.onIdle();
    expect(seen).toEqual([1]);
    expect((await q.enqueue(msg(1), { idempotencyKey: key(msg(1)) })).deduplicated).toBe(false);
    await q.close();
  });

  it("delays delivery", async () => {
    const q = memoryQueue();
    const at: number[] = [];
    const t0 = Date.now();
    await q.start({ handle: async () => void at.push(Date.now() - t0), onFailed: async () => {} });
    await q.enqueue(msg(1), { idempotencyKey: "d", delayMs: 80 });
    await q.onIdle();
    expect(at[0]).toBeGreaterThanOrEqual(75);
    await q.close();
  });

  it("retries with exponential backoff, then calls onFailed once", async () => {
    const q = memoryQueue({ attempts: 3, backoff: { baseMs: 20 } });
    const attempts: number[] = [];
    const failed: unknown[] = [];
    await q.start({
      handle: async (_m, d) => {
        attempts.push(d.attempt);
        throw new Error("boom");
      },
      onFailed: async (_m, e) => void failed.push(e),
    });
    await q.enqueue(msg(1), { idempotencyKey: "r" });
    await q.onIdle();
    expect(attempts).toEqual([1, 2, 3]);
    expect(failed).toHaveLength(1);
    await q.close();
  });

  it("does not retry a non-retryable error", async () => {
    const q = memoryQueue({ attempts: 5 });
    let calls = 0;
    const failed: unknown[] = [];
    await q.start({
      handle: async () => {
        calls++;
        throw new CreatorSearchError("UPSTREAM_AUTH", "bad key");
      },
      onFailed: async (_m, e) => void failed.push(e),
    });
    await q.enqueue(msg(1), { idempotencyKey: "n" });
    await q.onIdle();
    expect(calls).toBe(1);
    expect(failed).toHaveLength(1);
    await q.close();
  });

  it("honours RetryAfterError without using an attempt", async () => {
    const q = memoryQueue({ attempts: 1 });
    const at: number[] = [];
    const t0 = Date.now();
    await q.start({
      handle: async () => {
        at.push(Date.now() - t0);
        if (at.length < 3) throw new RetryAfterError("slow down", 40);
      },
      onFailed: async () => {
        throw new Error("must not fail");
      },
    });
    await q.enqueue(msg(1), { idempotencyKey: "ra" });
    await q.onIdle();
    expect(at).toHaveLength(3);
    expect(at[2]! - at[0]!).toBeGreaterThanOrEqual(75);
    await q.close();
  });

  it("holds the concurrency limit", async () => {
    const q = memoryQueue({ concurrency: 2 });
    let running = 0;
    let peak = 0;
    await q.start({
      handle: async () => {
        peak = Math.max(peak, ++running);
        await sleep(15);
        running--;
      },
      onFailed: async () => {},
    });
    for (let i = 0; i < 8; i++) await q.enqueue(msg(i), { idempotencyKey: `c${i}` });
    await q.onIdle();
    expect(peak).toBe(2);
    await q.close();
  });

  it("holds the rate limit", async () => {
    const q = memoryQueue({ concurrency: 10, rateLimit: { max: 2, intervalMs: 100 } });
    const at: number[] = [];
    const t0 = Date.now();
    await q.start({ handle: async () => void at.push(Date.now() - t0), onFailed: async () => {} });
    for (let i = 0; i < 6; i++) await q.enqueue(msg(i), { idempotencyKey: `rl${i}` });
    await q.onIdle();
    expect(at).toHaveLength(6);
    expect(at[5]!).toBeGreaterThanOrEqual(190); // 6 starts at 2 per 100 ms need two full windows
    await q.close();
  });

  it("close() waits for steps in flight and refuses new messages", async () => {
    const q = memoryQueue();
    let finished = false;
    await q.start({
      handle: async () => {
        await sleep(50);
        finished = true;
      },
      onFailed: async () => {},
    });
    await q.enqueue(msg(1), { idempotencyKey: "w" });
    await sleep(5);
    await q.close();
    expect(finished).toBe(true);
    await expect(q.enqueue(msg(2), { idempotencyKey: "x" })).rejects.toThrow(/closed/);
  });

  it("keeps messages enqueued before start() and delivers them on start", async () => {
    const q = memoryQueue();
    await q.enqueue(msg(1), { idempotencyKey: "early" });
    const seen: number[] = [];
    await q.start({ handle: async (m) => void seen.push(m.step), onFailed: async () => {} });
    await q.onIdle();
    expect(seen).toEqual([1]);
    await q.close();
  });
  it("with maxLoopDelayMs, starts no step while the event loop is held up, and starts it once the loop is free", async () => {
    // A loop kept busy: 60 ms of synchronous work every 10 ms, far above a 30 ms limit.
    const busyFor = (ms: number) => {
      let busy = true;
      const timer = setInterval(() => {
        const end = performance.now() + 60;
        while (performance.now() < end);
      }, 10);
      return new Promise<number>((resolve) =>
        setTimeout(() => {
          clearInterval(timer);
          busy = false;
          resolve(performance.now());
        }, ms),
      ).then((at) => ({ at, busy }));
    };
    for (const gated of [true, false]) {
      const q = memoryQueue(gated ? { maxLoopDelayMs: 30 } : {});
      let startedAt = 0;
      await q.start({ handle: async () => void (startedAt = performance.now()), onFailed: async () => {} });
      const blocking = busyFor(400);
      await sleep(100); // the loop is busy by now
      await q.enqueue(msg(1), { idempotencyKey: `g-${gated}` });
      const { at: freedAt } = await blocking;
      await q.onIdle();
      if (gated) expect(startedAt).toBeGreaterThanOrEqual(freedAt);
      else expect(startedAt).toBeLessThan(freedAt);
      expect(q.size).toBe(0);
      await q.close();
    }
  });
});
