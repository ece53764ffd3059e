import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandbox } from "../src/index.js";
import { allPages, awemeOf, closeAll, get, keywordPath, parseWithCore, serve } from "./helpers.js";

afterAll(closeAll);

describe("GET /v1/tiktok/search/keyword", () => {
  let url: string;
  beforeAll(async () => {
    url = (await serve()).url;
  });

  it("answers pages that core's TikTok schema and normalizer accept", async () => {
    const { status, body } = await get(url, keywordPath("home cooking"));
    expect(status).toBe(200);
    expect(body).toMatchObject({ success: true, credits_charged: 1, cursor: expect.any(Number), has_more: 1 });
    expect(body.search_item_list.length).toBeGreaterThan(0);
    const page = parseWithCore(body, "home cooking");
    expect(page.hasMore).toBe(true);
    expect(page.nextCursor).toBe(String(body.cursor));
    expect(page.creators.length).toBeGreaterThan(0);
    for (const creator of page.creators) {
      expect(creator.handle).toMatch(/\S/);
      expect(creator.avatarUrl).not.toMatch(/\.heic/);
      for (const post of creator.posts) expect(post.url).not.toContain("?");
    }
  });

  it("pages to the end: exactly resultsPerQuery items, cursor = items served, last page cursor null / has_more 0", async () => {
    const { url: small } = await serve({ resultsPerQuery: 95, pageSize: 30 });
    const pages = await allPages(small, "meal prep");
    let served = 0;
    for (const [i, page] of pages.entries()) {
      served += page.search_item_list.length;
      expect(page.search_item_list.length).toBeLessThanOrEqual(30);
      if (i < pages.length - 1) expect(page).toMatchObject({ cursor: served, has_more: 1 });
      parseWithCore(page, "meal prep");
    }
    expect(served).toBe(95);
    expect(pages.at(-1)).toMatchObject({ cursor: null, has_more: 0 });
    // Past the end: an empty last page, still billed like upstream.
    const past = await get(small, keywordPath("meal prep", 500));
    expect(past.body).toMatchObject({ cursor: null, has_more: 0, search_item_list: [] });
  });

  it("is deterministic: same query and seed give identical bytes, across sandboxes too", async () => {
    const a = await get(url, keywordPath("sourdough bread", 30));
    const b = await get(url, keywordPath("sourdough bread", 30));
    const strip = (text: string) => text.replace(/"credits_remaining":\d+/, "");
    expect(strip(a.text)).toBe(strip(b.text));
    const request = () => new Request(`http://x${keywordPath("sourdough bread", 30)}`, { headers: { "x-api-key": "k" } });
    const one = await (await createSandbox().fetch(request())).text();
    const two = await (await createSandbox().fetch(request())).text();
    expect(one).toBe(two);
    expect(await (await createSandbox({ seed: "other" }).fetch(request())).text()).not.toBe(one);
    // Case and spacing of the query do not matter.
    const spaced = await get(url, keywordPath("  Sourdough   BREAD ", 30));
    expect(strip(spaced.text)).toBe(strip(a.text));
  });

  it("has the real API's quirks: repeated items, several videos per author, share_url query, missing statistics, heic avatars, text_extra", async () => {
    const { url: big } = await serve({ resultsPerQuery: 600 });
    const pages = await allPages(big, "fitness");
    const items = pages.flatMap((p) => p.search_item_list.map(awemeOf));
    expect(items).toHaveLength(600);
    const ids = items.map((a: any) => a.aweme_id);
    expect(new Set(ids).size).toBeLessThan(ids.length); // some items repeat across pages
    const perAuthor = new Map<string, number>();
    for (const a of new Map(items.map((a: any) => [a.aweme_id, a])).values()) perAuthor.set((a as any).author.uid, (perAuthor.get((a as any).author.uid) ?? 0) + 1);
    expect(Math.max(...perAuthor.values())).toBeGreaterThanOrEqual(3);
    expect(items.every((a: any) => /\?.*u_code=.*utm_source=copy/.test(a.share_url))).toBe(true);
    expect(items.some((a: any) => a.statistics === undefined)).toBe(true);
    expect(items.some((a: any) => /\.heic\?/.test(a.author.avatar_medium.url_list[0]) && /\.jpeg\?/.test(a.author.avatar_medium.url_list[1]))).toBe(true);
    expect(items.some((a: any) => a.author.custom_verify === "Verified account")).toBe(true);
    expect(items.some((a: any) => typeof a.author.signature === "string" && /@/.test(a.author.signature))).toBe(true);
    const extras = items.flatMap((a: any) => a.text_extra);
    expect(extras.some((t: any) => t.type === 1 && t.hashtag_name)).toBe(true);
    expect(extras.some((t: any) => t.type === 0 && t.user_id)).toBe(true);
    for (const a of items.slice(0, 50)) {
      for (const t of a.text_extra.filter((t: any) => t.type === 1)) expect(a.desc.slice(t.start, t.end)).toBe(`#${t.hashtag_name}`);
    }
    // Some pages come back short, like the real API's.
    expect(pages.slice(0, -1).some((p) => p.search_item_list.length < 30)).toBe(true);
  });

  it("lets 3 keywords reach 300 unique creators with the defaults, with little overlap between queries", async () => {
    const authors = await Promise.all(
      ["home cooking", "sourdough bread", "meal prep"].map(async (q) => new Set((await allPages(url, q)).flatMap((p) => p.search_item_list.map((i: any) => awemeOf(i).author.uid)))),
    );
    const union = new Set(authors.flatMap((s) => [...s]));
    expect(union.size).toBeGreaterThanOrEqual(300);
    const [a, b] = authors as [Set<string>, Set<string>];
    const shared = [...a].filter((uid) => b.has(uid)).length;
    expect(shared).toBeLessThan(a.size * 0.3);
  });

  it("stays fast with resultsPerQuery: 20000 (pages are generated lazily)", async () => {
    const { url: huge } = await serve({ resultsPerQuery: 20_000 });
    const t0 = performance.now();
    let cursor = 0;
    for (let i = 0; i < 10; i++) {
      const { body } = await get(huge, keywordPath("bench pipeline", cursor));
      expect(body.has_more).toBe(1);
      cursor = body.cursor;
    }
    const deep = await get(huge, keywordPath("bench pipeline", 19_990));
    expect(deep.body).toMatchObject({ cursor: null, has_more: 0 });
    expect(deep.body.search_item_list).toHaveLength(10);
    expect(performance.now() - t0).toBeLessThan(3_000);
  });

  it("trim=true answers flat items without share_url and text_extra, still accepted by core", async () => {
    const { body } = await get(url, keywordPath("home cooking", 0, "&trim=true"));
    const item = body.search_item_list[0];
    expect(item.aweme_info).toBeUndefined();
    expect(item.aweme_id).toMatch(/^\d{19}$/);
    expect(item.share_url).toBeUndefined();
    expect(item.text_extra).toBeUndefined();
    expect(parseWithCore(body, "home cooking").creators.length).toBeGreaterThan(0);
  });

  it("sort_by=date-posted sorts newest first and date_posted keeps videos in the window", async () => {
    const sorted = await get(url, keywordPath("travel", 0, "&sort_by=date-posted"));
    const times = sorted.body.search_item_list.map((i: any) => i.aweme_info.create_time);
    expect([...times].sort((x, y) => y - x)).toEqual(times);
    const week = await get(url, keywordPath("travel", 0, "&date_posted=this-week"));
    const now = createSandbox().options.now;
    for (const i of week.body.search_item_list) expect(now - i.aweme_info.create_time).toBeLessThanOrEqual(7 * 86_400);
  });

  it("refuses a non-numeric cursor with 400", async () => {
    const { status, body } = await get(url, keywordPath("x") + "&cursor=abc");
    expect(status).toBe(400);
    expect(body.message).toMatch(/cursor/);
  });
});
