import { describe, expect, it } from "vitest";
import { alsoOn, filtersFromQuery, parseTags, queryOfFilters } from "../lib/client/roster";

describe("roster helpers", () => {
  it('"also on" lines: linked entries first, then links the campaign has no entry for; never the creator itself', () => {
    const lines = alsoOn({
      platform: "tiktok",
      handle: "Soup.Queen",
      linked: [{ id: "instagram:1", platform: "instagram", handle: "soup.queen" }],
      links: [
        { platform: "instagram", handle: "Soup.Queen", id: "1" },
        { platform: "youtube", handle: "soupqueen", url: "https://youtube.com/@soupqueen" },
        { platform: "tiktok", handle: "soup.queen" },
        { platform: "web", url: "https://soup.example" },
      ],
    });
    expect(lines.map((l) => [l.text, l.inRoster, l.url])).toEqual([
      ["also on Instagram @soup.queen", true, null],
      ["also on YouTube @soupqueen", false, "https://youtube.com/@soupqueen"],
    ]);
  });

  it("filters round-trip through the query string; unknown statuses and blanks are dropped", () => {
    expect(filtersFromQuery(new URLSearchParams("status=contacted&platform=tiktok&tag=%20vegan%20&q="))).toEqual({ status: "contacted", platform: "tiktok", tag: "vegan" });
    expect(filtersFromQuery(new URLSearchParams("status=maybe"))).toEqual({});
    expect(queryOfFilters({ status: "agreed", q: " soup ", tag: "" })).toBe("status=agreed&q=soup");
  });

  it("tags: trimmed, de-duplicated, empty ones dropped", () => {
    expect(parseTags(" vegan, budget,,vegan , ")).toEqual(["vegan", "budget"]);
  });
});
