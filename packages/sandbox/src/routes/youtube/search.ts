import { creatorPool, normalizeQuery } from "../../data/creator-pool.js";
import { itemBytes, PADDING_SHARE } from "../../data/media-padding.js";
import { invalidParameter } from "../../http/errors.js";
import { optionalParam, requireParam } from "../../http/params.js";
import type { Route } from "../types.js";
import { youtubeChannelResult, youtubeVideo } from "./shapes.js";

/** Results per page. */
export const YOUTUBE_PAGE_SIZE = 20;
/** Channels and shorts mixed into the first page of an untyped search. */
const FIRST_PAGE_CHANNELS = 3;
const FIRST_PAGE_SHORTS = 6;

const TOKEN_PREFIX = "EpUDEgd";

/** An opaque-looking continuation token carrying the query and the offset. */
function encodeToken(query: string, offset: number): string {
  const bytes = new TextEncoder().encode(JSON.stringify({ q: query, o: offset }));
  return TOKEN_PREFIX + btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function decodeToken(token: string, query: string): number {
  try {
    if (!token.startsWith(TOKEN_PREFIX)) throw new Error("prefix");
    const b64 = token.slice(TOKEN_PREFIX.length).replace(/-/g, "+").replace(/_/g, "/");
    const text = new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
    const { q, o } = JSON.parse(text) as { q: unknown; o: unknown };
    if (q === query && typeof o === "number" && Number.isInteger(o) && o >= 0) return o;
  } catch {
    // fall through to the 400
  }
  throw invalidParameter("Invalid continuationToken for this query");
}

/**
 * `GET /v1/youtube/search`: `query` (required), `continuationToken`, `type`
 * (`videos|shorts|channels|playlists`; other filters accepted and ignored). An untyped search
 * mixes a few channels and shorts into its first page. `continuationToken` is `null` at the end.
 */
export const youtubeSearch: Route = {
  path: "/v1/youtube/search",
  handle({ params, options }) {
    const query = requireParam(params, "query");
    const normalized = normalizeQuery(query);
    const token = optionalParam(params, "continuationToken");
    const offset = token ? decodeToken(token, normalized) : 0;
    const type = optionalParam(params, "type");
    const pool = creatorPool(options.seed, query, options.resultsPerQuery);
    const { seed, now } = options;
    const bytes = itemBytes(options, PADDING_SHARE.youtubeVideo);
    const videos: unknown[] = [];
    const shorts: unknown[] = [];
    const channels: unknown[] = [];
    const total = type === "channels" ? pool.size : type === "playlists" ? 0 : options.resultsPerQuery;
    const end = Math.min(total, offset + YOUTUBE_PAGE_SIZE);
    for (let p = offset; p < end; p++) {
      if (type === "channels") channels.push(youtubeChannelResult(seed, pool.personaAt(p)));
      else if (type === "shorts") shorts.push(youtubeVideo(seed, pool, p, "short", now, bytes));
      else videos.push(youtubeVideo(seed, pool, p, "video", now, bytes));
    }
    if (!type && offset === 0) {
      for (let slot = 0; slot < Math.min(FIRST_PAGE_CHANNELS, pool.size); slot++) channels.push(youtubeChannelResult(seed, pool.personaAt(slot)));
      for (let p = 0; p < FIRST_PAGE_SHORTS; p++) shorts.push(youtubeVideo(seed, pool, p, "short", now, bytes));
    }
    return {
      body: {
        videos,
        channels,
        shorts,
        playlists: [],
        lives: [],
        shelves: [],
        continuationToken: end < total ? encodeToken(normalized, end) : null,
      },
    };
  },
};
