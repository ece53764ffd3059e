import { describe, expect, it } from "vitest";
import { ApiError } from "../lib/client/api";
import { friendlyMessages, friendlyText } from "../lib/client/errors";
import { bareHandle, checkInstagramHandle, displayHandle } from "../lib/client/handle";

describe("handles", () => {
  it("normalises what people type and paste to one bare handle", () => {
    for (const typed of ["@@cozy", "cozy/", " @Cozy ", "https://www.instagram.com/cozy/", "instagram.com/cozy?igsh=abc", "https://m.instagram.com/@cozy"]) {
      expect(bareHandle(typed), typed).toBe("cozy");
    }
    expect(displayHandle("@@cozy.kitchen")).toBe("@cozy.kitchen");
    expect(displayHandle("https://www.instagram.com/cozy.kitchen/")).toBe("@cozy.kitchen");
  });

  it("explains a bad Instagram handle in words, and accepts a good one", () => {
    expect(checkInstagramHandle("https://www.instagram.com/cozy.kitchen/")).toEqual({ handle: "cozy.kitchen" });
    const spaced = checkInstagramHandle("cozy kitchen");
    expect("problem" in spaced && spaced.problem).toMatch(/has a space in it/);
    const bad = checkInstagramHandle("cozy!kitchen");
    expect("problem" in bad && bad.problem).toMatch(/is not an Instagram handle/);
    expect("problem" in checkInstagramHandle("  ")).toBe(true);
  });
});

describe("friendly errors", () => {
  it("names fields in the form's words, once, without the API's prefix", () => {
    const error = new ApiError(400, 'Invalid input: keywords.0: must be at most 100 characters', {
      issues: [{ field: "keywords.0", reason: "must be at most 100 characters" }],
    });
    expect(friendlyMessages(error)).toEqual(["Keyword 1 must be at most 100 characters."]);
    const handle = new ApiError(400, "Invalid input: targetHandle: …", { issues: [{ field: "targetHandle", reason: '"cozy kitchen" is not a valid Instagram handle' }] });
    expect(friendlyMessages(handle)).toEqual(['"cozy kitchen" is not a valid Instagram handle.']);
    expect(friendlyMessages(new ApiError(400, "x", { issues: [{ field: "targetResults", reason: "must be at most 10000" }] }))).toEqual(["Number of creators must be at most 10000."]);
  });

  it("rewords job errors, rate limits and a dead server", () => {
    expect(friendlyText("Invalid input: targetHandle: Instagram has no account @nobody (check the spelling)")).toBe("Instagram has no account @nobody (check the spelling).");
    expect(friendlyText("Campaign not found")).toBe("Campaign not found");
    expect(friendlyMessages(new ApiError(429, "Too many", { retryAfterMs: 30_000 }))[0]).toMatch(/Try again in 30 s/);
    expect(friendlyMessages(new TypeError("Failed to fetch"))[0]).toMatch(/did not answer/);
    expect(friendlyMessages(null)).toEqual([]);
  });
});
