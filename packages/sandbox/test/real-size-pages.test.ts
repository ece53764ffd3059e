import { gzipSync } from "node:zlib";
import { instagram, type PageContext, type PlatformPage, youtube } from "@creatorsearch/core";
import { describe, expect, it } from "vitest";
import { createSandbox, type Sandbox } from "../src/index.js";
import { awemeOf, keywordPath, parseWithCore } from "./helpers.js";

/** The fields `pageKb` adds; everything else must be byte-identical to the compact answer. */
const PADDING_KEYS = new Set([
  // TikTok video, music, author
  "download_addr", "play_addr_h264", "play_addr_bytevc1", "dynamic_cover", "animated_cover", "ai_dynamic_cover", "big_thumbs", "bit_rate",
  "play_url", "cover_large", "cover_medium", "cover_thumb", "cover_url", "share_info",
  // Instagram media
  "image_versions2", "video_versions",
  // YouTube
  "thumbnails",
]);

function withoutPadding(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPadding);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).filter(([k]) => !PADDING_KEYS.has(k)).map(([k, v]) => [k, withoutPadding(v)]));
  }
  return value;
}

async function getText(sandbox: Sandbox, path: string): Promise<string> {
  const res = await sandbox.fetch(new Request(`http://sandbox${path}`, { headers: { "x-api-key": "test-key" } }));
  expect(res.status).toBe(200);
  return res.text();
}

/** The envelope's balance differs between two sandboxes' histories; the page does not. */
const body = (text: string) => {
  const { credits_remaining: _, ...rest } = JSON.parse(text) as Record<string, unknown>;
  return rest;
};

const REAL = 1800;
const context = (key: string, input: string, cursor: string | null = null) => ({ job: {}, chain: { key, input, cursor } }) as unknown as PageContext;
const ids = (page: PlatformPage) => page.creators.map((c) => c.id);

describe("real-size pages (pageKb)", () => {
  it("weighs a TikTok keyword page at about pageKb, scaled by its item count", async () => {
    for (const pageKb of [900, REAL]) {
      const sandbox = createSandbox({ pageKb });
      for (const cursor of [0, 30, 60]) {
        const text = await getText(sandbox, keywordPath("home cooking", cursor));
        const items = (JSON.parse(text) as { search_item_list: unknown[] }).search_item_list.length;
        const expected = (pageKb * 1024 * items) / 30;
        expect(text.length / expected).toBeGreaterThan(0.95);
        expect(text.length / expected).toBeLessThan(1.05);
      }
    }
  });

  it("pads with random tokens that compress poorly, unlike the compact page", async () => {
    const compact = await getText(createSandbox(), keywordPath("home cooking"));
    const real = await getText(createSandbox({ pageKb: REAL }), keywordPath("home cooking"));
    const ratio = (text: string) => gzipSync(text).length / text.length;
    // The compact page is mostly repeated keys (~0.1); repeated filler would gzip to ~0.01.
    expect(ratio(compact)).toBeLessThan(0.2);
    expect(ratio(real)).toBeGreaterThan(0.3);
    // At least 1.8 MB * 0.3 of entropy: real pages are costly to store even compressed.
    expect(gzipSync(real).length).toBeGreaterThan(450_000);
  });

  it("is deterministic per seed", async () => {
    const path = keywordPath("home cooking", 30);
    const a = await getText(createSandbox({ pageKb: REAL, seed: 7 }), path);
    const b = await getText(createSandbox({ pageKb: REAL, seed: 7 }), path);
    const c = await getText(createSandbox({ pageKb: REAL, seed: 8 }), path);
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it("only adds media fields: the rest of every endpoint's answer is unchanged", async () => {
    const compact = createSandbox();
    const real = createSandbox({ pageKb: REAL });
    const paths = [
      keywordPath("home cooking", 30),
      "/v2/instagram/reels/search?query=sourdough&page=2",
      "/v1/youtube/search?query=sourdough",
      "/v1/instagram/profile?handle=",
    ];
    // A handle the sandbox knows: the owner of the first reel.
    const reels = JSON.parse(await getText(compact, paths[1]!)) as { reels: { owner: { username: string } }[] };
    paths[3] += reels.reels[0]!.owner.username;
    for (const path of paths) {
      const small = await getText(compact, path);
      const big = await getText(real, path);
      expect(big.length, path).toBeGreaterThan(small.length * 3);
      expect(withoutPadding(body(big)), path).toEqual(withoutPadding(body(small)));
      // The compact answer has none of the padding fields, so the comparison above saw all of it.
      expect(withoutPadding(body(small))).toEqual(body(small));
    }
  });

  it("sizes Instagram and YouTube items in proportion to TikTok's", async () => {
    const sandbox = createSandbox({ pageKb: REAL });
    const tiktokItem = (REAL * 1024) / 30;
    const reels = (JSON.parse(await getText(sandbox, "/v2/instagram/reels/search?query=sourdough")) as { reels: unknown[] }).reels;
    const videos = (JSON.parse(await getText(sandbox, "/v1/youtube/search?query=sourdough&type=videos")) as { videos: unknown[] }).videos;
    const average = (items: unknown[]) => items.reduce<number>((sum, item) => sum + JSON.stringify(item).length, 0) / items.length;
    expect(average(reels) / (tiktokItem / 3)).toBeGreaterThan(0.9);
    expect(average(reels) / (tiktokItem / 3)).toBeLessThan(1.1);
    expect(average(videos) / (tiktokItem / 20)).toBeGreaterThan(0.8);
    expect(average(videos) / (tiktokItem / 20)).toBeLessThan(1.2);
  });

  it("parses to the same creators through core's adapters", async () => {
    const compact = createSandbox({ seed: 3 });
    const real = createSandbox({ seed: 3, pageKb: REAL });
    const both = async (path: string) => [JSON.parse(await getText(compact, path)), JSON.parse(await getText(real, path))] as const;

    for (const cursor of [0, 30]) {
      const [small, big] = await both(keywordPath("meal prep", cursor));
      const a = parseWithCore(small, "meal prep");
      const b = parseWithCore(big, "meal prep");
      expect(a.creators.length).toBeGreaterThan(10);
      expect(b).toEqual(a);
      expect(big.search_item_list.map(awemeOf)[0].video.bit_rate.length).toBeGreaterThan(3);
    }

    const ig = instagram({ apiKey: "unused", baseUrl: "http://127.0.0.1:1" });
    const [smallReels, bigReels] = await both("/v2/instagram/reels/search?query=sourdough");
    const reels = ig.parsePage(smallReels, context("k0", "sourdough"));
    expect(ig.parsePage(bigReels, context("k0", "sourdough"))).toEqual(reels);
    expect(ids(reels).length).toBeGreaterThan(3);

    // A public profile with related profiles, so the similar walk has something to parse.
    let walked = 0;
    for (const reel of smallReels.reels as { owner: { username: string } }[]) {
      const handle = reel.owner.username;
      const [smallProfile, bigProfile] = await both(`/v1/instagram/profile?handle=${handle}`);
      if (!smallProfile.data.user.edge_related_profiles || smallProfile.data.user.is_private) continue;
      expect(bigProfile.data.user.edge_owner_to_timeline_media.edges[0].node.image_versions2.candidates.length).toBeGreaterThan(1);
      expect(ig.parsePage(bigProfile, context("related", handle))).toEqual(ig.parsePage(smallProfile, context("related", handle)));
      walked++;
    }
    expect(walked).toBeGreaterThan(0);

    const yt = youtube({ apiKey: "unused", baseUrl: "http://127.0.0.1:1" });
    const [smallSearch, bigSearch] = await both("/v1/youtube/search?query=sourdough");
    const search = yt.parsePage(smallSearch, context("k0", "sourdough"));
    expect(yt.parsePage(bigSearch, context("k0", "sourdough"))).toEqual(search);
    expect(ids(search).length).toBeGreaterThan(3);
  });

  it("keeps trimmed TikTok items and the default compact", async () => {
    const trimmed = JSON.parse(await getText(createSandbox({ pageKb: REAL }), keywordPath("home cooking", 0, "&trim=true")));
    expect(trimmed.search_item_list[0].video.bit_rate).toBeUndefined();
    const compact = JSON.parse(await getText(createSandbox(), keywordPath("home cooking")));
    expect(awemeOf(compact.search_item_list[0]).video.bit_rate).toBeUndefined();
  });

  it("refuses a pageKb out of range", () => {
    expect(() => createSandbox({ pageKb: -1 })).toThrow(/pageKb must be within 0\.\.100000, got -1/);
    expect(() => createSandbox({ pageKb: Number.NaN })).toThrow(/pageKb/);
    expect(() => createSandbox({ pageKb: 200_000 })).toThrow(/pageKb/);
    expect(createSandbox({ pageKb: 0 }).options.pageKb).toBe(0);
  });
});
