import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awemeOf, closeAll, get, keywordPath, serve } from "./helpers.js";

afterAll(closeAll);

let url: string;
let author: any;
beforeAll(async () => {
  url = (await serve()).url;
  author = awemeOf((await get(url, keywordPath("home cooking"))).body.search_item_list[0]).author;
});

describe("TikTok", () => {
  it("/v1/tiktok/search/users pages users as { user_info } with cursor and has_more", async () => {
    const first = await get(url, "/v1/tiktok/search/users?query=home%20cooking");
    expect(first.body).toMatchObject({ success: true, cursor: 10, has_more: 1 });
    expect(first.body.users).toHaveLength(10);
    expect(first.body.users[0].user_info).toMatchObject({ unique_id: expect.any(String), follower_count: expect.any(Number), is_private_account: expect.any(Number) });
    let cursor: number | null = first.body.cursor;
    let total = first.body.users.length;
    while (cursor !== null) {
      const { body } = await get(url, `/v1/tiktok/search/users?query=home%20cooking&cursor=${cursor}`);
      total += body.users.length;
      cursor = body.has_more ? body.cursor : null;
    }
    expect(total).toBe(100);
    const trimmed = await get(url, "/v1/tiktok/search/users?query=home%20cooking&trim=true");
    expect(trimmed.body.users[0].user_info).toBeUndefined();
    expect(trimmed.body.users[0].unique_id).toBe(first.body.users[0].user_info.unique_id);
  });

  it("/v1/tiktok/profile finds a search author by handle (with or without @) and by user_id, with the same numbers", async () => {
    const { status, body } = await get(url, `/v1/tiktok/profile?handle=@${author.unique_id}`);
    expect(status).toBe(200);
    expect(body.user).toMatchObject({ uniqueId: author.unique_id, id: author.uid, nickname: author.nickname, secUid: author.sec_uid, verified: expect.any(Boolean) });
    expect(body.stats).toMatchObject({ followerCount: author.follower_count, heart: author.total_favorited, videoCount: author.aweme_count });
    expect(body.itemList).toEqual([]);
    expect(body.user.avatarLarger).toMatch(/^https:\/\/p16-sign-va\.tiktokcdn\.com\/.*~c5_1080x1080\.jpeg\?/);
    const byId = await get(url, `/v1/tiktok/profile?user_id=${author.uid}`);
    expect(byId.body.user.uniqueId).toBe(author.unique_id);
  });

  it("/v1/tiktok/profile invents a stable creator for any handle, and 404s for notfound* handles", async () => {
    const a = await get(url, "/v1/tiktok/profile?handle=charlidamelio");
    const b = await get(url, "/v1/tiktok/profile?handle=charlidamelio");
    expect(a.body.user.uniqueId).toBe("charlidamelio");
    expect(b.body.user).toEqual(a.body.user);
    const missing = await get(url, "/v1/tiktok/profile?handle=notfound_person");
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ success: false, message: "User not found" });
  });
});

describe("Instagram", () => {
  it("/v1/instagram/profile returns the same creator, with related profiles that can be walked", async () => {
    const { body } = await get(url, `/v1/instagram/profile?handle=${author.unique_id}`);
    const user = body.data.user;
    expect(user).toMatchObject({ username: author.unique_id, full_name: author.nickname, edge_followed_by: { count: expect.any(Number) } });
    expect(user.edge_owner_to_timeline_media.edges.length).toBeLessThanOrEqual(12);
    if (user.business_address_json !== null) expect(typeof user.business_address_json).toBe("string");
    // Walk the related-profiles graph a few hops; every node resolves to a profile.
    let handles = [author.unique_id as string];
    const seen = new Set<string>();
    let withoutRelated = 0;
    for (let hop = 0; hop < 3; hop++) {
      const next: string[] = [];
      for (const handle of handles.slice(0, 5)) {
        if (seen.has(handle)) continue;
        seen.add(handle);
        const profile = (await get(url, `/v1/instagram/profile?handle=${handle}`)).body.data.user;
        expect(profile.username).toBe(handle);
        if (!profile.edge_related_profiles) withoutRelated++;
        for (const edge of profile.edge_related_profiles?.edges ?? []) {
          expect(edge.node).toEqual({ id: expect.any(String), username: expect.any(String), full_name: expect.any(String), is_verified: expect.any(Boolean), is_private: expect.any(Boolean), profile_pic_url: expect.stringMatching(/cdninstagram\.com|fbcdn\.net/) });
          next.push(edge.node.username);
        }
      }
      handles = next;
    }
    expect(seen.size).toBeGreaterThan(5);
    expect(withoutRelated).toBeLessThan(seen.size);
  });

  it("an unknown handle answers 200 with data.user null, billed", async () => {
    const { status, body } = await get(url, "/v1/instagram/profile?handle=doesnotexist.really");
    expect(status).toBe(200);
    expect(body).toMatchObject({ success: true, credits_charged: 1, data: { user: null } });
  });

  it("/v2/instagram/reels/search pages by page number and refuses page 12", async () => {
    const one = await get(url, "/v2/instagram/reels/search?query=sourdough");
    expect(one.body.reels).toHaveLength(12);
    expect(one.body.cursor).toBeUndefined();
    expect(one.body.reels[0]).toMatchObject({ shortcode: expect.any(String), caption: expect.any(String), taken_at: expect.stringMatching(/Z$/), owner: { username: expect.any(String) } });
    const two = await get(url, "/v2/instagram/reels/search?query=sourdough&page=2");
    expect(two.body.reels[0].id).not.toBe(one.body.reels[0].id);
    expect((await get(url, "/v2/instagram/reels/search?query=sourdough&page=12")).status).toBe(400);
  });

  it("/v1/instagram/reels/search (legacy) costs 1 credit per 10 reels", async () => {
    const { body } = await get(url, "/v1/instagram/reels/search?query=sourdough&amount=25");
    expect(body.reels).toHaveLength(25);
    expect(body.credits_charged).toBe(3);
  });

  it("/v1/instagram/search and /v1/instagram/search/profiles", async () => {
    const native = await get(url, "/v1/instagram/search?query=pastry");
    expect(native.body.data).toMatchObject({ query: "pastry", users: expect.any(Array), hashtags: expect.any(Array), places: [], keywords: [] });
    const profiles = await get(url, "/v1/instagram/search/profiles?query=pastry");
    expect(profiles.body).toMatchObject({ query: "pastry", cursor: "2" });
    expect(profiles.body.profiles[0]).toMatchObject({ username: expect.any(String), follower_count: expect.any(Number), matched_from: expect.stringMatching(/profile|caption/) });
    expect((await get(url, "/v1/instagram/search/profiles?query=pastry&cursor=12")).status).toBe(400);
  });
});

describe("YouTube", () => {
  it("/v1/youtube/search pages with continuationToken to the end", async () => {
    const { url: small } = await serve({ resultsPerQuery: 50 });
    const first = await get(small, "/v1/youtube/search?query=laminated%20dough");
    expect(first.body.videos).toHaveLength(20);
    expect(first.body.channels.length).toBeGreaterThan(0);
    expect(first.body).toMatchObject({ playlists: [], lives: [], shelves: [], continuationToken: expect.any(String) });
    expect(first.body.videos[0]).toMatchObject({ type: "video", id: expect.stringMatching(/^[\w-]{11}$/), viewCountInt: expect.any(Number), channel: { id: expect.stringMatching(/^UC[\w-]{22}$/) } });
    let token: string | null = first.body.continuationToken;
    let count = first.body.videos.length;
    while (token) {
      const { body } = await get(small, `/v1/youtube/search?query=laminated%20dough&continuationToken=${encodeURIComponent(token)}`);
      count += body.videos.length;
      token = body.continuationToken;
    }
    expect(count).toBe(50);
    expect((await get(small, "/v1/youtube/search?query=other&continuationToken=garbage")).status).toBe(400);
  });

  it("/v1/youtube/channel resolves a search result's channelId and handle to the same channel", async () => {
    const video = (await get(url, "/v1/youtube/search?query=soup")).body.videos[0];
    const byId = await get(url, `/v1/youtube/channel?channelId=${video.channel.id}`);
    expect(byId.body).toMatchObject({ channelId: video.channel.id, name: video.channel.title, subscriberCount: expect.any(Number), avatar: { image: { sources: expect.any(Array) } } });
    const byHandle = await get(url, `/v1/youtube/channel?handle=${encodeURIComponent(byId.body.handle)}`);
    expect(byHandle.body.channelId).toBe(video.channel.id);
    const missing = await get(url, "/v1/youtube/channel?id=x");
    expect(missing.status).toBe(400);
    expect(missing.body.message).toBe("You must provide a handle or a channelId");
    expect((await get(url, "/v1/youtube/channel?channelId=UCnotarealchannelid12345")).status).toBe(404);
  });
});

describe("account", () => {
  it("/v1/credit-balance and /v1/account/credit-balance report creditCount for free", async () => {
    const server = await serve({ credits: 42 });
    for (const path of ["/v1/credit-balance", "/v1/account/credit-balance"]) {
      const { body } = await get(server.url, path);
      expect(body).toMatchObject({ success: true, creditCount: 42, credits_remaining: 42, credits_charged: 0 });
    }
  });
});
