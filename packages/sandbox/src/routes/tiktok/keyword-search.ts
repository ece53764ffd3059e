import { keywordStream } from "../../data/keyword-stream.js";
import { itemBytes, PADDING_SHARE } from "../../data/media-padding.js";
import { boolParam, intParam, optionalParam, requireParam } from "../../http/params.js";
import type { Route } from "../types.js";
import { tiktokAweme, tiktokTrimmedAweme } from "./shapes.js";

/**
 * `GET /v1/tiktok/search/keyword`: `query` (required), `cursor` (offset, default 0),
 * `date_posted`, `sort_by`, `region` (ignored: it only picks the proxy country), `trim`.
 * `cursor` in the answer is the count served so far; the last page has `cursor: null`, `has_more: 0`.
 */
export const tiktokKeywordSearch: Route = {
  path: "/v1/tiktok/search/keyword",
  handle({ params, options }) {
    const query = requireParam(params, "query");
    const cursor = intParam(params, "cursor", 0);
    const stream = keywordStream({
      seed: options.seed,
      query,
      total: options.resultsPerQuery,
      pageSize: options.pageSize,
      now: options.now,
      datePosted: optionalParam(params, "date_posted"),
      sortBy: optionalParam(params, "sort_by"),
    });
    const page = stream.page(cursor);
    const trim = boolParam(params, "trim");
    // Trimmed items are the small ones upstream too: only full items get real-size media.
    const bytes = itemBytes(options, PADDING_SHARE.tiktokVideo);
    return {
      body: {
        cursor: page.nextCursor,
        has_more: page.nextCursor === null ? 0 : 1,
        search_item_list: page.videos.map((video) =>
          trim ? tiktokTrimmedAweme(options.seed, video, options.now) : { aweme_info: tiktokAweme(options.seed, video, options.now, bytes) },
        ),
      },
    };
  },
};
