import { describe, expect, it } from "vitest";
import {
  type Creator,
  NotFoundError,
  type PlatformAdapter,
  ValidationError,
  createCreatorSearch,
  linkOfUrl,
  memoryQueue,
  memoryStorage,
} from "../src/index.js";
import { creator, scriptedPlatform } from "./helpers.js";

/** An instance on memory storage with a scripted platform (pages of creator ids per keyword). */
function instance(pages: Record<string, string[][]>, platforms: PlatformAdapter[] = []) {
  const scripted = scriptedPlatform(pages);
  const cs = createCreatorSearch({
    storage: memoryStorage(),
    queue: memoryQueue({ concurrency: 2 }),
    platforms: [scripted.platform, ...platforms],
    recoverIntervalMs: 0,
  });
  return { cs, fetches: scripted.fetches };
}

async function search(cs: ReturnType<typeof instance>["cs"], campaignId: string, input: Record<string, unknown>) {
  const job = await cs.jobs.start("alice", { campaignId, platform: "scripted", ...input } as never);
  return cs.jobs.wait("alice", job.id, { timeoutMs: 10_000 });
}

/** Ten pages of five creators per keyword; `soup` and `stew` share their first three pages. */
const PAGES = (() => {
  const page = (prefix: string, i: number) => Array.from({ length: 5 }, (_, j) => `${prefix}${i}-${j}`);
  const soup = Array.from({ length: 10 }, (_, i) => page("soup", i));
  const stew = Array.from({ length: 10 }, (_, i) => (i < 3 ? page("soup", i) : page("stew", i)));
  return { soup, stew };
})();

describe("campaign roster (SDK, memory storage)", () => {
  it("gathers every job's creators once, and keeps the team's fields across later jobs", async () => {
    const { cs } = instance(PAGES);
    const campaign = await cs.campaigns.create("alice", { name: "Soups" });
    await search(cs, campaign.id, { keywords: ["soup"], targetResults: 10 });
    const first = await cs.campaigns.creators.list("alice", campaign.id);
    expect(first.items).toHaveLength(10);
    expect(first.items[0]).toMatchObject({ id: "scripted:soup0-0", status: "new", notes: null, tags: [], linked: [] });

    await cs.campaigns.creators.update("alice", campaign.id, "scripted:soup0-0", { status: "shortlisted", notes: "loves broth", tags: ["vegan", "vegan", " q3 "] });
    await search(cs, campaign.id, { keywords: ["stew"], targetResults: 20 });
    const entry = await cs.campaigns.creators.get("alice", campaign.id, "scripted:soup0-0");
    expect(entry).toMatchObject({ status: "shortlisted", notes: "loves broth", tags: ["vegan", "q3"] });
    expect(entry!.foundBy.map((s) => s.inputs)).toEqual([["soup"], ["stew"]]);

    const all = [];
    for await (const e of cs.campaigns.creators.iterate("alice", campaign.id)) all.push(e.id);
    expect(all).toHaveLength(new Set(all).size);
    expect(all).toHaveLength(20); // stew: pages 0-1 repeat soup (known), page 2 (soup2-*) and 3 are new
    const shortlisted = await cs.campaigns.creators.list("alice", campaign.id, { status: "shortlisted" });
    expect(shortlisted.items.map((e) => e.id)).toEqual(["scripted:soup0-0"]);
  });

  it("onlyNew: known creators are skipped, the target counts new ones, and a keyword resumes where the campaign stopped", async () => {
    const { cs, fetches } = instance(PAGES);
    const campaign = await cs.campaigns.create("alice", { name: "Soups" });
    await search(cs, campaign.id, { keywords: ["soup"], targetResults: 15 });
    expect(fetches.splice(0)).toEqual(["soup#0", "soup#1", "soup#2"]);

    // soup again with onlyNew: starts at page 3, not 0, and finds 10 new creators.
    const again = await search(cs, campaign.id, { keywords: ["soup"], targetResults: 10, onlyNew: true });
    expect(fetches.splice(0)).toEqual(["soup#3", "soup#4"]);
    expect(again).toMatchObject({ status: "completed", stopReason: "target_reached", processedResults: 10, skippedKnown: 0 });
    expect(again.options.resumedFrom).toBeDefined();

    // stew overlaps soup's first pages: they are paid (stew never ran) but skipped as known.
    const stew = await search(cs, campaign.id, { keywords: ["stew"], targetResults: 10, onlyNew: true });
    expect(stew).toMatchObject({ processedResults: 10, skippedKnown: 15 });
    const results = await cs.results.list("alice", { jobId: stew.id, limit: 100 });
    expect(results.items.every((c) => c.id.startsWith("stew"))).toBe(true);

    // Without onlyNew the same search starts over and returns known creators as results.
    const plain = await search(cs, campaign.id, { keywords: ["stew"], targetResults: 10 });
    expect(plain).toMatchObject({ processedResults: 10, skippedKnown: 0 });
    expect(fetches.at(-2)).toBe("stew#0");
  });

  it("onlyNew: a keyword paged to its end by an earlier job buys nothing", async () => {
    const { cs, fetches } = instance({ tiny: [["t1", "t2"]] });
    const campaign = await cs.campaigns.create("alice", { name: "Tiny" });
    await search(cs, campaign.id, { keywords: ["tiny"], targetResults: 10 });
    fetches.splice(0);
    const again = await search(cs, campaign.id, { keywords: ["tiny"], targetResults: 10, onlyNew: true });
    expect(again).toMatchObject({ status: "completed", stopReason: "exhausted", apiCalls: 0, processedResults: 0 });
    expect(fetches).toEqual([]);
  });

  it("links the same person across platforms in both directions", async () => {
    const linked = (id: string, platform: string, handle: string, links: Creator["links"]): Creator => ({ ...creator(id, "soup"), platform, handle, links });
    const social: PlatformAdapter = {
      id: "social",
      name: "Social",
      modes: ["keyword"],
      planChains: ({ keywords }) => keywords.map((input, i) => ({ key: `k${i}`, input })),
      fetchPage: async () => ({}),
      parsePage: () => ({
        creators: [
          linked("111", "tiktok", "cozy", [{ platform: "instagram", handle: "Cozy.Kitchen" }]),
          linked("ig1", "instagram", "cozy.kitchen", []),
          linked("UC1", "youtube", "cozytube", [{ platform: "tiktok", id: "111" }]),
          linked("222", "tiktok", "alone", [{ platform: "web", url: "https://alone.example" }]),
        ],
        nextCursor: null,
        hasMore: false,
      }),
    };
    const { cs } = instance({}, [social]);
    const campaign = await cs.campaigns.create("alice", { name: "Cozy" });
    const job = await cs.jobs.start("alice", { campaignId: campaign.id, platform: "social", keywords: ["cozy"] });
    await cs.jobs.wait("alice", job.id, { timeoutMs: 10_000 });
    const { items } = await cs.campaigns.creators.list("alice", campaign.id);
    const byId = Object.fromEntries(items.map((e) => [e.id, e.linked.map((l) => `${l.platform}:@${l.handle}`).sort()]));
    expect(byId).toEqual({
      "tiktok:111": ["instagram:@cozy.kitchen", "youtube:@cozytube"],
      "instagram:ig1": ["tiktok:@cozy"],
      "youtube:UC1": ["tiktok:@cozy"],
      "tiktok:222": [],
    });
  });

  it("exports CSV with status, notes, tags and links, and defuses spreadsheet formulas", async () => {
    const { cs } = instance({ soup: [["a", "b"]] });
    const campaign = await cs.campaigns.create("alice", { name: "Soups" });
    await search(cs, campaign.id, { keywords: ["soup"], targetResults: 10 });
    await cs.campaigns.creators.updateMany("alice", campaign.id, ["scripted:a", "scripted:b"], { status: "contacted", tags: ["=HYPERLINK(1)"] });
    await cs.campaigns.creators.update("alice", campaign.id, "scripted:a", { notes: "@SUM(A1)" });
    let csv = "";
    for await (const chunk of cs.campaigns.creators.export("alice", campaign.id, { format: "csv" })) csv += chunk;
    const lines = csv.trim().split("\n");
    expect(lines[0]).toContain("status,notes,tags,links,linked,found_by");
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain("contacted,'@SUM(A1),'=HYPERLINK(1)");
    let json = "";
    for await (const chunk of cs.campaigns.creators.export("alice", campaign.id, { format: "json", status: "contacted" })) json += chunk;
    expect(JSON.parse(json).map((e: { id: string }) => e.id)).toEqual(["scripted:a", "scripted:b"]);
  });

  it("refuses bad input with the field and reason, and another user's campaign with NotFoundError", async () => {
    const { cs } = instance({ soup: [["a"]] });
    const campaign = await cs.campaigns.create("alice", { name: "Soups" });
    await search(cs, campaign.id, { keywords: ["soup"], targetResults: 10 });
    const issues = async (promise: Promise<unknown>) => {
      const error = await promise.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      return (error as ValidationError).issues.map((i) => i.field);
    };
    expect(await issues(cs.campaigns.creators.update("alice", campaign.id, "scripted:a", { status: "maybe" as never }))).toEqual(["status"]);
    expect(await issues(cs.campaigns.creators.update("alice", campaign.id, "scripted:a", { tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }))).toEqual(["tags"]);
    expect(await issues(cs.campaigns.creators.update("alice", campaign.id, "scripted:a", { notes: "x".repeat(5001) }))).toEqual(["notes"]);
    expect(await issues(cs.campaigns.creators.update("alice", campaign.id, "scripted:a", {}))).toEqual([""]);
    expect(await issues(cs.campaigns.creators.update("alice", campaign.id, "scripted:a", { colour: "red" } as never))).toEqual(["colour", ""]);
    expect(await issues(cs.campaigns.creators.list("alice", campaign.id, { limit: 0 }))).toEqual(["limit"]);
    expect(await issues(cs.campaigns.creators.list("alice", campaign.id, { after: "x" }))).toEqual(["after"]);
    expect(await issues(cs.campaigns.creators.updateMany("alice", campaign.id, [], { status: "new" }))).toEqual(["ids"]);
    expect(await issues(cs.jobs.start("alice", { campaignId: campaign.id, platform: "scripted", keywords: ["x"], onlyNew: "yes" as never }))).toEqual(["onlyNew"]);
    await expect(cs.campaigns.creators.list("mallory", campaign.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(cs.campaigns.creators.update("alice", campaign.id, "scripted:zz", { status: "new" })).rejects.toBeInstanceOf(NotFoundError);
    expect(await cs.campaigns.creators.updateMany("alice", campaign.id, ["scripted:a", "scripted:zz"], { status: "agreed" })).toMatchObject({
      items: [{ id: "scripted:a", status: "agreed" }],
      notFound: ["scripted:zz"],
    });
  });
});

describe("linkOfUrl", () => {
  it("reads profile URLs of the platforms and keeps other sites as web links", () => {
    expect(linkOfUrl("https://www.instagram.com/cozy.kitchen/")).toMatchObject({ platform: "instagram", handle: "cozy.kitchen" });
    expect(linkOfUrl("instagram.com/p/abc")).toMatchObject({ platform: "web" });
    expect(linkOfUrl("https://tiktok.com/@cozy")).toMatchObject({ platform: "tiktok", handle: "cozy" });
    expect(linkOfUrl("https://m.youtube.com/@cozytube")).toMatchObject({ platform: "youtube", handle: "cozytube" });
    expect(linkOfUrl("https://youtube.com/channel/UCabcdefghijklmnop")).toMatchObject({ platform: "youtube", id: "UCabcdefghijklmnop" });
    expect(linkOfUrl("https://cozy.example/shop")).toEqual({ platform: "web", url: "https://cozy.example/shop" });
    expect(linkOfUrl("not a url")).toBeNull();
    expect(linkOfUrl("javascript:alert(1)")).toBeNull();
    expect(linkOfUrl(null)).toBeNull();
  });
});
