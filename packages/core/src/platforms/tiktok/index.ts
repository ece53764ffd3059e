import { ValidationError } from "../../errors.js";
import { type ScrapeCreatorsClient, type ScrapeCreatorsClientOptions, scrapeCreatorsClient } from "../scrapecreators/client.js";
import type { PlatformAdapter } from "../types.js";
import { normalizeKeywordPage } from "./normalize.js";
import { TikTokKeywordSearchSchema } from "./schema.js";

export const TIKTOK_KEYWORD_SEARCH_PATH = "/v1/tiktok/search/keyword";

/** Options of {@link tiktok}. */
export interface TikTokOptions extends ScrapeCreatorsClientOptions {
  /** A client shared with other platforms (shares its rate limiter). Default: a new one from the options / env. */
  client?: ScrapeCreatorsClient;
  /** Only videos posted in this window. Default `all-time`. */
  datePosted?: "yesterday" | "this-week" | "this-month" | "last-3-months" | "last-6-months" | "all-time";
  /** Upstream sort. Default `relevance`. */
  sortBy?: "relevance" | "most-liked" | "date-posted";
  /** Proxy country of the search (it does not filter by region). */
  region?: string;
}

/**
 * TikTok through ScrapeCreators' keyword video search: one chain per keyword, each page's
 * videos grouped by author into creators.
 */
export function tiktok(options: TikTokOptions = {}): PlatformAdapter {
  const client = options.client ?? scrapeCreatorsClient(options);
  return {
    id: "tiktok",
    name: "TikTok",
    modes: ["keyword"],
    planChains(request) {
      if (request.mode !== "keyword") {
        throw new ValidationError([{ field: "mode", reason: `TikTok supports keyword search only, not "${request.mode}"` }]);
      }
      return request.keywords.map((keyword, i) => ({ key: `k${i}`, input: keyword }));
    },
    fetchPage({ chain, signal }) {
      return client.getRaw(
        TIKTOK_KEYWORD_SEARCH_PATH,
        {
          query: chain.input,
          cursor: chain.cursor ?? undefined,
          date_posted: options.datePosted,
          sort_by: options.sortBy,
          region: options.region,
        },
        { signal },
      );
    },
    parsePage(raw, { chain }) {
      return normalizeKeywordPage(client.parse(TIKTOK_KEYWORD_SEARCH_PATH, raw, TikTokKeywordSearchSchema), chain.input);
    },
  };
}
