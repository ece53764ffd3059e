import PQueue from "p-queue";
import { ValidationError } from "../../errors.js";
import { type ScrapeCreatorsClient, type ScrapeCreatorsClientOptions, retriesWithinBudget, scrapeCreatorsClient } from "../scrapecreators/client.js";
import type { PageContext, PlatformAdapter } from "../types.js";
import { creatorsOfSearch, enrichWithChannel } from "./normalize.js";
import { YouTubeChannelSchema, YouTubeSearchSchema } from "./schema.js";

export const YOUTUBE_SEARCH_PATH = "/v1/youtube/search";
export const YOUTUBE_CHANNEL_PATH = "/v1/youtube/channel";

/** Options of {@link youtube}. */
export interface YouTubeOptions extends ScrapeCreatorsClientOptions {
  /** A client shared with other platforms (shares its rate limiter). Default: a new one from the options / env. */
  client?: ScrapeCreatorsClient;
  /**
   * Fill in subscriber counts (and description, email) of channels found through their videos
   * with one `/v1/youtube/channel` call each. Every call counts against the job's API-call
   * budget; channels beyond what the budget grants stay without counts. A job may override it
   * with `options.enrich`. Default `false`.
   */
  enrich?: boolean;
  /** Channel lookups of one page in flight at once. Default 4. */
  enrichConcurrency?: number;
  /** Accept a cached channel up to this old (`cache_max_age`). Default: always live. */
  channelCacheMaxAge?: "1d" | "3d" | "7d" | "14d" | "30d";
  /** Upstream result type. Default: mixed (videos, a few shorts and channels). */
  type?: "videos" | "shorts" | "channels";
  /** Only videos uploaded in this window. */
  uploadDate?: "today" | "this_week" | "this_month" | "this_year";
  /** Upstream sort. Default `relevance`. */
  sortBy?: "relevance" | "popular";
  /** Proxy country of the search. */
  region?: string;
}

/**
 * The raw value of an enriched step: the search body and the channel bodies fetched for it,
 * stored together so a redelivery pays for none of them again.
 */
export interface YouTubeEnrichedPage {
  search: unknown;
  /** Channel id -> `/v1/youtube/channel` body, or `null` when the lookup failed (left unenriched). */
  channels: Record<string, unknown>;
}

function isEnriched(raw: unknown): raw is YouTubeEnrichedPage {
  return typeof raw === "object" && raw !== null && "search" in raw && "channels" in raw && !("videos" in raw);
}

/**
 * YouTube through ScrapeCreators' search: one chain per keyword, paged with
 * `continuationToken`, results grouped by channel into creators (videos and shorts as posts,
 * channel results with their subscriber counts). `http://` avatars become `https://`. With
 * `enrich`, channels found only through videos get their subscriber counts from
 * `/v1/youtube/channel`, at bounded concurrency and within the job's budget.
 */
export function youtube(options: YouTubeOptions = {}): PlatformAdapter {
  const client = options.client ?? scrapeCreatorsClient(options);
  const concurrency = Math.max(1, options.enrichConcurrency ?? 4);

  const wantsEnrich = ({ job }: PageContext) => (typeof job.options?.enrich === "boolean" ? job.options.enrich : options.enrich === true);

  return {
    id: "youtube",
    name: "YouTube",
    modes: ["keyword"],
    planChains(request) {
      if (request.mode !== "keyword") {
        throw new ValidationError([{ field: "mode", reason: `YouTube supports keyword search only, not "${request.mode}"` }]);
      }
      return request.keywords.map((keyword, i) => ({ key: `k${i}`, input: keyword }));
    },
    async fetchPage(context) {
      const { chain, signal, reserveApiCalls } = context;
      const search = await client.getRaw(
        YOUTUBE_SEARCH_PATH,
        {
          query: chain.input,
          continuationToken: chain.cursor ?? undefined,
          type: options.type,
          uploadDate: options.uploadDate,
          sortBy: options.sortBy,
          region: options.region,
        },
        { signal, reserveRetry: retriesWithinBudget(reserveApiCalls) },
      );
      if (!wantsEnrich(context) || !reserveApiCalls) return search;
      const parsed = client.parse(YOUTUBE_SEARCH_PATH, search, YouTubeSearchSchema);
      const missing = creatorsOfSearch(parsed, chain.input).filter((c) => c.followers === null).map((c) => c.id);
      const granted = missing.length ? await reserveApiCalls(missing.length) : 0;
      const channels: Record<string, unknown> = {};
      const queue = new PQueue({ concurrency });
      await queue.addAll(
        missing.slice(0, granted).map((channelId) => async () => {
          // Best effort: the search page is paid for already, so one failed lookup must not
          // fail (and re-buy) the whole step; that channel just stays without a count.
          channels[channelId] = await client
            .getRaw(YOUTUBE_CHANNEL_PATH, { channelId, cache_max_age: options.channelCacheMaxAge }, { signal, reserveRetry: retriesWithinBudget(reserveApiCalls) })
            .catch(() => null);
        }),
      );
      return { search, channels } satisfies YouTubeEnrichedPage;
    },
    parsePage(raw, { chain }) {
      const enriched = isEnriched(raw) ? raw : null;
      const page = client.parse(YOUTUBE_SEARCH_PATH, enriched ? enriched.search : raw, YouTubeSearchSchema);
      let creators = creatorsOfSearch(page, chain.input);
      if (enriched) {
        creators = creators.map((creator) => {
          const parsed = YouTubeChannelSchema.safeParse(enriched.channels[creator.id]);
          return parsed.success ? enrichWithChannel(creator, parsed.data) : creator;
        });
      }
      const items = (page.videos?.length ?? 0) + (page.shorts?.length ?? 0) + (page.channels?.length ?? 0);
      const hasMore = Boolean(page.continuationToken) && items > 0;
      return { creators, nextCursor: hasMore ? page.continuationToken! : null, hasMore };
    },
  };
}
