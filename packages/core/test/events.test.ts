import { describe, expect, expectTypeOf, it } from "vitest";
import {
  type CreatorSearchEmitter,
  type CreatorSearchEventName,
  type SearchChain,
  type SearchJob,
  createCreatorSearch,
  memoryQueue,
  memoryStorage,
} from "../src/index.js";
import { scriptedPlatform } from "./helpers.js";

const USER = "user-1";

function setup() {
  const { platform } = scriptedPlatform({ a: [["1", "2"], ["3"]] });
  return createCreatorSearch({ storage: memoryStorage(), queue: memoryQueue({ concurrency: 1 }), platforms: [platform], recoverIntervalMs: 0 });
}

describe("cs.events", () => {
  it("has typed listeners (checked by tsc: pnpm typecheck)", () => {
    const cs = setup();
    expectTypeOf(cs.events).toEqualTypeOf<CreatorSearchEmitter>();
    cs.events.on("job.progress", (event) => {
      expectTypeOf(event).toEqualTypeOf<{ job: SearchJob; chain: SearchChain; newCreators: number }>();
    });
    cs.events.once("step.failed", ({ willRetry }) => expectTypeOf(willRetry).toEqualTypeOf<boolean>());
    expectTypeOf(cs.events.on("job.created", () => {})).toEqualTypeOf<CreatorSearchEmitter>();
    expectTypeOf(cs.events.eventNames()).toEqualTypeOf<CreatorSearchEventName[]>();
    // @ts-expect-error unknown event
    cs.events.on("job.unknown", () => {});
    // @ts-expect-error the payload is typed
    cs.events.on("job.finished", ({ job }) => job.notAField);
    // @ts-expect-error emit checks the payload
    expect(() => cs.events.emit("job.progress", { job: null })).not.toThrow();
    cs.events.removeAllListeners();
  });

  it("on / once / off / listenerCount / emit work on the eventemitter3 emitter", async () => {
    const cs = setup();
    const seen: string[] = [];
    const onProgress = ({ newCreators }: { newCreators: number }) => void seen.push(`+${newCreators}`);
    cs.events.on("job.progress", onProgress).once("job.finished", ({ job }) => void seen.push(job.status));
    expect(cs.events.listenerCount("job.progress")).toBe(1);
    expect(cs.events.eventNames().sort()).toEqual(["job.finished", "job.progress"]);

    const campaign = await cs.campaigns.create(USER, { name: "events" });
    const job = await cs.jobs.start(USER, { campaignId: campaign.id, platform: "scripted", keywords: ["a"] });
    const done = await cs.jobs.wait(USER, job.id, { timeoutMs: 5_000 });
    expect(seen).toEqual(["+2", "+1", "completed"]);
    expect(cs.events.listenerCount("job.finished")).toBe(0);

    cs.events.off("job.progress", onProgress);
    expect(cs.events.listenerCount("job.progress")).toBe(0);
    expect(cs.events.emit("job.progress", { job: done, chain: {} as SearchChain, newCreators: 0 })).toBe(false);
    await cs.close();
  });
});
