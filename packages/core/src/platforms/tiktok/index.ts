import PQueue from "p-queue";
import { ValidationError } from "../../errors.js";
import { type ScrapeCreatorsClient, type ScrapeCreatorsClientOptions, retriesWithinBudget, scrapeCreatorsClient } from "../scrapecreators/client.js";
import type { PageContext, PlatformAdapter } from "../types.js";
import { normalizeKeywordPage } from "./normalize.js";
import { TikTokProfileSchema, enrichWithProfile, needsProfile } from "./profile.js";
import { TikTokKeywordSearchSchema } from "./schema.js";

export const TIKTOK_KEYWORD_SEARCH_PATH = "/v1/tiktok/search/keyword";
export const TIKTOK_PROFILE_PATH = "/v1/tiktok/profile";

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
  /**
   * Fill in bio (and so emails), verification and follower count of the creators of each page
   * with one `/v1/tiktok/profile` call per creator whose search item lacks them. Every call
   * counts against the job's API-call budget; creators beyond what the budget grants stay as
   * the search found them. A job may override it with its `enrich` option. Default `false`.
   */
  enrich?: boolean;
  /** Profile lookups of one page in flight at once. Default 4. */
  enrichConcurrency?: number;
  /** Accept a cached profile up to this old (`cache_max_age`; a cached hit costs no credit). Default: always live. */
  profileCacheMaxAge?: "1d" | "3d" | "7d" | "14d" | "30d";
}

/**
 * The raw value of an enriched step: the search body and the profile bodies fetched for it,
 * stored together so a redelivery pays for none of them again.
 */
export interface TikTokEnrichedPage {
  search: unknown;
  /** Handle -> `/v1/tiktok/profile` body, or `null` when the lookup failed (left unenriched). */
  profiles: Record<string, unknown>;
}

function isEnriched(raw: unknown): raw is TikTokEnrichedPage {
  return typeof raw === "object" && raw !== null && "search" in raw && "profiles" in raw && !("search_item_list" in raw);
}

/** Jobs whose lookups are remembered; the oldest job is forgotten beyond this. */
const REMEMBERED_JOBS = 64;

/**
 * The profiles this process already looked up per job, and which step did: a creator found
 * again on a later page (of any keyword) is not bought twice, since storage merges the profile
 * fetched earlier into it. The step that fetched a profile fetches it again when it is
 * redelivered (its raw page may never have been stored), so nothing is lost after a crash.
 * Per process only: workers in other processes may look a creator up once more.
 */
function profileLookups() {
  const jobs = new Map<string, Map<string, string>>();
  return {
    byOtherStep(jobId: string, handle: string, step: string): boolean {
      const by = jobs.get(jobId)?.get(handle);
      return by !== undefined && by !== step;
    },
    claim(jobId: string, handle: string, step: string): void {
      let handles = jobs.get(jobId);
      if (!handles) {
        jobs.set(jobId, (handles = new Map()));
        if (jobs.size > REMEMBERED_JOBS) jobs.delete(jobs.keys().next().value!);
      }
      if (!handles.has(handle)) handles.set(handle, step);
    },
  };
}

/**
 * TikTok through ScrapeCreators' keyword video search: one chain per keyword, each page's
 * videos grouped by author into creators. With `enrich`, authors get bio, verification and
 * follower count from `/v1/tiktok/profile`, at bounded concurrency and within the job's budget.
 */
export function tiktok(options: TikTokOptions = {}): PlatformAdapter {
  const client = options.client ?? scrapeCreatorsClient(options);
  const concurrency = Math.max(1, options.enrichConcurrency ?? 4);
  const wantsEnrich = ({ job }: PageContext) => (typeof job.options?.enrich === "boolean" ? job.options.enrich : options.enrich === true);
  const lookups = profileLookups();

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
    async fetchPage(context) {
      const { chain, signal, reserveApiCalls } = context;
      const search = await client.getRaw(
        TIKTOK_KEYWORD_SEARCH_PATH,
        {
          query: chain.input,
          cursor: chain.cursor ?? undefined,
          date_posted: options.datePosted,
          sort_by: options.sortBy,
          region: options.region,
        },
        { signal, reserveRetry: retriesWithinBudget(reserveApiCalls) },
      );
      if (!wantsEnrich(context) || !reserveApiCalls) return search;
      const page = normalizeKeywordPage(client.parse(TIKTOK_KEYWORD_SEARCH_PATH, search, TikTokKeywordSearchSchema), chain.input);
      const step = `${chain.key}/${chain.step}`;
      const handles = page.creators.filter(needsProfile).map((c) => c.handle).filter((h) => !lookups.byOtherStep(context.job.id, h, step));
      const granted = handles.length ? await reserveApiCalls(handles.length) : 0;
      for (const handle of handles.slice(0, granted)) lookups.claim(context.job.id, handle, step);
      const profiles: Record<string, unknown> = {};
      const queue = new PQueue({ concurrency });
      await queue.addAll(
        handles.slice(0, granted).map((handle) => async () => {
          // Best effort: the search page is paid for already, so one failed lookup (a deleted
          // account answers 404) must not fail, and re-buy, the whole step.
          profiles[handle] = await client
            .getRaw(TIKTOK_PROFILE_PATH, { handle, cache_max_age: options.profileCacheMaxAge }, { signal, reserveRetry: retriesWithinBudget(reserveApiCalls) })
            .catch(() => null);
        }),
      );
      return { search, profiles } satisfies TikTokEnrichedPage;
    },
    parsePage(raw, { chain }) {
      const enriched = isEnriched(raw) ? raw : null;
      const search = client.parse(TIKTOK_KEYWORD_SEARCH_PATH, enriched ? enriched.search : raw, TikTokKeywordSearchSchema);
      const page = normalizeKeywordPage(search, chain.input);
      if (!enriched) return page;
      const creators = page.creators.map((creator) => {
        const profile = TikTokProfileSchema.safeParse(enriched.profiles[creator.handle]);
        return profile.success ? enrichWithProfile(creator, profile.data) : creator;
      });
      return { ...page, creators };
    },
  };
}
