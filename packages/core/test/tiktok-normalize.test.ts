import { describe, expect, it } from "vitest";
import { UpstreamShapeError, scrapeCreatorsClient, tiktok } from "../src/index.js";
import type { PageContext } from "../src/index.js";
import { aweme, page } from "./fixtures/tiktok.js";

const adapter = tiktok({ apiKey: "test", baseUrl: "http://unused.test" });
const ctx = (input = "soup") => ({ job: {} as PageContext["job"], chain: { input } as PageContext["chain"] });

describe("tiktok keyword page normalizer", () => {
  it("merges many videos of one author into one creator with every post", () => {
    const parsed = adapter.parsePage(page([aweme("cozycook"), aweme("cozycook"), aweme("other")], 30, 1), ctx());
    expect(parsed.creators.map((c) => c.handle)).toEqual(["cozycook", "other"]);
    expect(parsed.creators[0]!.posts).toHaveLength(2);
    expect(parsed.creators[0]!.matchedKeywords).toEqual(["soup"]);
  });

  it("reads the numeric cursor and has_more 0/1, and ends on cursor null", () => {
    expect(adapter.parsePage(page([aweme("a")], 30, 1), ctx())).toMatchObject({ nextCursor: "30", hasMore: true });
    expect(adapter.parsePage(page([aweme("a")], null, 0), ctx())).toMatchObject({ nextCursor: null, hasMore: false });
    expect(adapter.parsePage(page([aweme("a")], 60, 0), ctx()).hasMore).toBe(false);
    expect(adapter.parsePage(page([], 90, 1), ctx()).hasMore).toBe(false);
  });

  it("accepts trimmed items that are not wrapped in aweme_info", () => {
    const parsed = adapter.parsePage(page([aweme("flat")], 30, 1, false), ctx());
    expect(parsed.creators[0]!.handle).toBe("flat");
  });

  it("keeps type 1 hashtags only, lower-cased", () => {
    const [c] = adapter.parsePage(page([aweme("a")], 30, 1), ctx()).creators;
    expect(c!.hashtags).toEqual(["cooking", "fallrecipes"]);
  });

  it("skips .heic avatars and takes the first displayable URL", () => {
    const heicFirst = aweme("h", {}, {
      avatar_medium: { url_list: ["https://p16-amd-va.tiktokcdn.com/x~q70.heic?dr=1", "https://p16-amd-va.tiktokcdn.com/x~q70.jpeg?dr=1"] },
    });
    const [c] = adapter.parsePage(page([heicFirst], 30, 1), ctx()).creators;
    expect(c!.avatarUrl).toBe("https://p16-amd-va.tiktokcdn.com/x~q70.jpeg?dr=1");
    const onlyHeic = aweme("h2", {}, { avatar_medium: { url_list: ["https://p16.tiktokcdn.com/a.heic"] } });
    expect(adapter.parsePage(page([onlyHeic], 30, 1), ctx()).creators[0]!.avatarUrl).toBeNull();
  });

  it("strips the share_url query string", () => {
    const [c] = adapter.parsePage(page([aweme("s")], 30, 1), ctx()).creators;
    expect(c!.posts[0]!.url).toMatch(/^https:\/\/www\.tiktok\.com\/@s\/video\/\d+$/);
  });

  it("gives null statistics and null engagement (never 0) when statistics are missing", () => {
    const [c] = adapter.parsePage(page([aweme("nostats", { statistics: undefined })], 30, 1), ctx()).creators;
    expect(c!.posts[0]).toMatchObject({ likes: null, comments: null, views: null, shares: null });
    expect(c!.engagement).toEqual({ byFollowers: null, byViews: null, sampleSize: 0 });
  });

  it("computes engagement from the posts found", () => {
    const [c] = adapter.parsePage(page([aweme("e")], 30, 1), ctx()).creators;
    expect(c!.engagement.byFollowers).toBeCloseTo((12400 + 231) / 48211, 6);
    expect(c!.engagement.byViews).toBeCloseTo(12400 / 183200, 6);
    expect(c!.engagement.sampleSize).toBe(1);
  });

  it("reads verified from custom_verify and emails from the bio", () => {
    const v = aweme("v", {}, { custom_verify: "Verified account", signature: "biz: Hello@CozyCook.example. DM me" });
    const [c] = adapter.parsePage(page([v], 30, 1), ctx()).creators;
    expect(c!.verified).toBe(true);
    expect(c!.emails).toEqual(["hello@cozycook.example"]);
    expect(c!.bio).toContain("biz:");
  });

  it("fails with the path of the field when the upstream shape changed", () => {
    const broken = page([aweme("ok"), { ...aweme("x"), author: { nickname: "no handle" } }], 30, 1);
    expect(() => adapter.parsePage(broken, ctx())).toThrow(UpstreamShapeError);
    try {
      adapter.parsePage(broken, ctx());
    } catch (e) {
      expect((e as UpstreamShapeError).issues[0]!.field).toBe("search_item_list.1.author.unique_id");
      expect((e as Error).message).toContain("search_item_list.1.author.unique_id");
    }
  });

  it("plans one chain per keyword and refuses similar mode", () => {
    expect(adapter.planChains({ mode: "keyword", keywords: ["a", "b"], targetHandle: null })).toEqual([
      { key: "k0", input: "a" },
      { key: "k1", input: "b" },
    ]);
    expect(() => adapter.planChains({ mode: "similar", keywords: [], targetHandle: "x" })).toThrow(/keyword search only/);
  });

  it("can share one client between adapters", () => {
    const client = scrapeCreatorsClient({ apiKey: "k", baseUrl: "http://x.test/" });
    expect(client.baseUrl).toBe("http://x.test");
    expect(tiktok({ client }).id).toBe("tiktok");
  });
});
