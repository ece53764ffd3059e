import { describe, expect, it } from "vitest";
import { nextLoopTurn } from "../src/engine/loop-turns.js";

describe("nextLoopTurn", () => {
  it("resumes one caller per turn of the loop, so work queued meanwhile runs between two of them", async () => {
    const order: string[] = [];
    await Promise.all(
      [1, 2, 3].map((n) =>
        nextLoopTurn().then(() => {
          order.push(`step ${n}`);
          // Due at the next turn (as a poll's I/O would be): it must not wait for the other
          // steps that asked at the same time. With a plain setImmediate each, it would.
          if (n === 1) setImmediate(() => order.push("queued meanwhile"));
        }),
      ),
    );
    expect(order).toEqual(["step 1", "queued meanwhile", "step 2", "step 3"]);
  });

  it("keeps the order of the calls", async () => {
    const order: number[] = [];
    await Promise.all(Array.from({ length: 20 }, (_, n) => nextLoopTurn().then(() => order.push(n))));
    expect(order).toEqual(Array.from({ length: 20 }, (_, n) => n));
  });
});
