import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { asPercent, percentCsv } from "../lib/server/csv-percent";

const streamOf = (text: string) =>
  new ReadableStream<Uint8Array>({
    start(c) {
      // Split mid-record: the converter must not depend on chunk boundaries.
      const bytes = new TextEncoder().encode(text);
      c.enqueue(bytes.slice(0, 37));
      c.enqueue(bytes.slice(37));
      c.close();
    },
  });

describe("percent CSV", () => {
  it("turns the engagement fractions into percents, keeps unknowns empty and every other cell as is", async () => {
    const sdk = 'handle,followers,engagement_by_followers,engagement_by_views,bio\ncozy,1200,0.041234,,"says ""hi"", twice"\nbare,,,0.5,\n';
    const out = await new Response(percentCsv(streamOf(sdk))).text();
    expect(parse(out)).toEqual([
      ["handle", "followers", "engagement_by_followers", "engagement_by_views", "bio"],
      ["cozy", "1200", "4.12%", "", 'says "hi", twice'],
      ["bare", "", "", "50.00%", ""],
    ]);
  });

  it("formats one cell", () => {
    expect(asPercent("0.1")).toBe("10.00%");
    expect(asPercent(" ")).toBe("");
    expect(asPercent("n/a")).toBe("n/a");
  });
});
