import { creatorPool } from "../../data/creator-pool.js";
import { itemBytes, PADDING_SHARE } from "../../data/media-padding.js";
import { invalidParameter } from "../../http/errors.js";
import { intParam, requireParam } from "../../http/params.js";
import type { Route } from "../types.js";
import { instagramReel } from "./shapes.js";

/** Reels per page of the v2 search. */
export const REELS_PAGE_SIZE = 12;
/** The v2 search refuses `page >= 12`. */
export const REELS_MAX_PAGE = 11;
/** The legacy search returns at most 60 reels. */
export const LEGACY_REELS_MAX = 60;

/**
 * `GET /v2/instagram/reels/search`: `query` (required), `page` (1–11, default 1; 12+ answers
 * 400), `date_posted` (accepted, ignored). `{ reels }` without a cursor: callers increment
 * `page`; an empty `reels` means the end.
 */
export const instagramReelsSearch: Route = {
  path: "/v2/instagram/reels/search",
  handle({ params, options }) {
    const query = requireParam(params, "query");
    const page = intParam(params, "page", 1);
    if (page < 1 || page > REELS_MAX_PAGE) throw invalidParameter(`page must be between 1 and ${REELS_MAX_PAGE}`);
    const pool = creatorPool(options.seed, query, options.resultsPerQuery);
    const start = (page - 1) * REELS_PAGE_SIZE;
    const end = Math.min(options.resultsPerQuery, start + REELS_PAGE_SIZE);
    const reels = [];
    for (let p = start; p < end; p++) reels.push(instagramReel(options.seed, pool, p, options.now, itemBytes(options, PADDING_SHARE.instagramReel)));
    return { body: { reels } };
  },
};

/**
 * `GET /v1/instagram/reels/search` (legacy): `query` (required), `amount` (default 10, max 60).
 * Costs 1 credit per 10 reels, as documented.
 */
export const instagramReelsSearchLegacy: Route = {
  path: "/v1/instagram/reels/search",
  handle({ params, options }) {
    const query = requireParam(params, "query");
    const amount = Math.min(LEGACY_REELS_MAX, Math.max(1, intParam(params, "amount", 10)));
    const pool = creatorPool(options.seed, query, options.resultsPerQuery);
    const reels = [];
    for (let p = 0; p < Math.min(amount, options.resultsPerQuery); p++) reels.push(instagramReel(options.seed, pool, p, options.now, itemBytes(options, PADDING_SHARE.instagramReel)));
    return { body: { reels }, cost: Math.ceil(amount / 10) };
  },
};
