import { platformConformanceSuite } from "@creatorsearch/test-utils/platform";
import { instagram, tiktok, youtube } from "../src/index.js";

/*
 * Every built-in platform adapter, in every mode, against the platform contract: the sandbox's
 * recorded shapes (a scripted related-profiles graph for Instagram's similar walk) served by a
 * real local HTTP server.
 */

type Json = Record<string, any>;
const twice = <T>(items: T[] | null | undefined) => (items ? [...items, ...items] : items);

const tiktokHarness = (enrich: boolean) => ({
  create: ({ baseUrl, apiKey }: { baseUrl: string; apiKey: string }) => tiktok({ baseUrl, apiKey, retries: 0, enrich }),
  request: { mode: "keyword" as const, keywords: ["sourdough", "pottery"], targetHandle: null },
  stripOptional: (body: unknown) => ({
    ...(body as Json),
    search_item_list: (body as Json).search_item_list.map((item: Json) => ({
      aweme_info: { aweme_id: item.aweme_info.aweme_id, author: { uid: item.aweme_info.author.uid, unique_id: item.aweme_info.author.unique_id } },
    })),
  }),
  duplicate: (body: unknown) => ({ ...(body as Json), search_item_list: twice((body as Json).search_item_list) }),
  changeShape: {
    mutate: (body: unknown) => {
      const copy = structuredClone(body) as Json;
      copy.search_item_list[0].aweme_info.author = "renamed";
      return copy;
    },
    field: "search_item_list.0.author",
  },
});

platformConformanceSuite("tiktok keyword", tiktokHarness(false));
platformConformanceSuite("tiktok keyword with profile enrichment", tiktokHarness(true));

platformConformanceSuite("instagram keyword (reels search)", {
  create: ({ baseUrl, apiKey }) => instagram({ baseUrl, apiKey, retries: 0 }),
  request: { mode: "keyword", keywords: ["sourdough"], targetHandle: null },
  stripOptional: (body) => ({ reels: (body as Json).reels.map((r: Json) => ({ id: r.id, owner: { id: r.owner.id, username: r.owner.username } })) }),
  duplicate: (body) => ({ ...(body as Json), reels: twice((body as Json).reels) }),
  changeShape: {
    mutate: (body) => {
      const copy = structuredClone(body) as Json;
      copy.reels[0].owner = null;
      return copy;
    },
    field: "reels.0.owner",
  },
});

/** A small, closed related-profiles graph in the recorded `/v1/instagram/profile` shape. */
const GRAPH: Record<string, string[]> = { seed: ["a", "b", "c"], a: ["b", "d", "seed"], b: [], c: ["e"], d: ["a"], e: [] };
function profileOf(handle: string): Json {
  const related = GRAPH[handle];
  if (!related) return { success: true, credits_remaining: 10, data: { user: null } };
  return {
    success: true,
    credits_remaining: 10,
    status: "ok",
    data: {
      user: {
        id: `id-${handle}`,
        username: handle,
        full_name: `Creator ${handle}`,
        biography: `bio of ${handle} - ${handle}@mail.example`,
        edge_followed_by: { count: 5000 },
        is_verified: false,
        is_private: false,
        profile_pic_url: `https://scontent.cdninstagram.com/${handle}.jpg`,
        edge_owner_to_timeline_media: {
          count: 1,
          edges: [{ node: { id: `p-${handle}`, shortcode: `s${handle}`, taken_at_timestamp: 1_750_000_000, edge_liked_by: { count: 100 }, edge_media_to_comment: { count: 5 } } }],
        },
        edge_related_profiles: {
          edges: related.map((r) => ({ node: { id: `id-${r}`, username: r, full_name: `Creator ${r}`, is_verified: false, is_private: false, profile_pic_url: null } })),
        },
      },
    },
  };
}

platformConformanceSuite("instagram similar (related-profiles walk)", {
  create: ({ baseUrl, apiKey }) => instagram({ baseUrl, apiKey, retries: 0 }),
  request: { mode: "similar", keywords: [], targetHandle: "@seed" },
  respond: (request) => Response.json(profileOf(new URL(request.url).searchParams.get("handle") ?? "")),
  stripOptional: (body) => {
    const user = (body as Json).data.user;
    return { data: { user: { id: user.id, username: user.username, edge_related_profiles: { edges: user.edge_related_profiles.edges.map((e: Json) => ({ node: { id: e.node.id, username: e.node.username } })) } } } };
  },
  duplicate: (body) => {
    const copy = structuredClone(body) as Json;
    copy.data.user.edge_related_profiles.edges = twice(copy.data.user.edge_related_profiles.edges);
    return copy;
  },
  changeShape: {
    mutate: (body) => {
      const copy = structuredClone(body) as Json;
      copy.data.user.edge_related_profiles.edges[0].node.username = 42;
      return copy;
    },
    field: "data.user.edge_related_profiles.edges.0.node.username",
  },
});

const youtubeHarness = (enrich: boolean) => ({
  create: ({ baseUrl, apiKey }: { baseUrl: string; apiKey: string }) => youtube({ baseUrl, apiKey, retries: 0, enrich }),
  request: { mode: "keyword" as const, keywords: ["pottery"], targetHandle: null },
  stripOptional: (body: unknown) => {
    const b = body as Json;
    const video = (v: Json) => ({ id: v.id, channel: { id: v.channel.id } });
    return { videos: b.videos.map(video), shorts: b.shorts.map(video), channels: b.channels.map((c: Json) => ({ id: c.id })), continuationToken: b.continuationToken };
  },
  duplicate: (body: unknown) => {
    const b = body as Json;
    return { ...b, videos: twice(b.videos), shorts: twice(b.shorts), channels: twice(b.channels) };
  },
  changeShape: {
    mutate: (body: unknown) => {
      const copy = structuredClone(body) as Json;
      copy.videos[0].channel = "renamed";
      return copy;
    },
    field: "videos.0.channel",
  },
});

platformConformanceSuite("youtube keyword", youtubeHarness(false));
platformConformanceSuite("youtube keyword with channel enrichment", youtubeHarness(true));
