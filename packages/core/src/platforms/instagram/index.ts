import PQueue from "p-queue";
import { ValidationError } from "../../errors.js";
import { mergeById } from "../../model/merge.js";
import { type ScrapeCreatorsClient, type ScrapeCreatorsClientOptions, retriesWithinBudget, scrapeCreatorsClient } from "../scrapecreators/client.js";
import type { PageContext, PlatformAdapter, PlatformPage } from "../types.js";
import { parseInstagramHandle } from "./handle.js";
import { creatorOfRelated, creatorOfUser, creatorsOfReels } from "./normalize.js";
import { type InstagramRelatedNode, InstagramProfileSchema, InstagramReelsSearchSchema } from "./schema.js";
import { advanceWalk, decodeWalk, encodeWalk } from "./walk.js";

/**
 * The raw value of an enriched `similar` step: the visited profile and the profiles of the
 * related accounts it introduced, stored together so a redelivery pays for none of them again.
 */
export interface InstagramEnrichedPage {
  profile: unknown;
  /** Handle -> `/v1/instagram/profile` body, or `null` when the lookup failed (left without numbers). */
  related: Record<string, unknown>;
}

function isEnriched(raw: unknown): raw is InstagramEnrichedPage {
  return typeof raw === "object" && raw !== null && "profile" in raw && "related" in raw && !("data" in raw);
}

export const INSTAGRAM_PROFILE_PATH = "/v1/instagram/profile";
export const INSTAGRAM_REELS_SEARCH_PATH = "/v2/instagram/reels/search";
/** The reels search refuses `page >= 12`. */
export const INSTAGRAM_REELS_MAX_PAGE = 11;
/** Key of the one chain of a `similar` job. */
export const INSTAGRAM_SIMILAR_CHAIN = "related";

/** Options of {@link instagram}. */
export interface InstagramOptions extends ScrapeCreatorsClientOptions {
  /** A client shared with other platforms (shares its rate limiter). Default: a new one from the options / env. */
  client?: ScrapeCreatorsClient;
  /**
   * Accept a cached profile up to this old (`cache_max_age`): a cached answer costs no credit
   * upstream, but still counts against the job's budget here. Default: always live.
   */
  profileCacheMaxAge?: "1d" | "3d" | "7d" | "14d" | "30d";
  /** Keyword mode: only reels posted in this window. Default: any time. */
  datePosted?: "last-hour" | "last-day" | "last-week" | "last-month" | "last-year";
  /**
   * Similar mode: fill in followers, bio, emails and posts of the related accounts a step
   * introduces (a related-profile node carries no counts) with one `/v1/instagram/profile`
   * call each, within the job's API-call budget; accounts beyond what it grants stay without
   * numbers. A job may override it with `options.enrich`. Default `false`.
   */
  enrich?: boolean;
  /** Profile lookups of one step in flight at once. Default 4. */
  enrichConcurrency?: number;
}

/**
 * Instagram through ScrapeCreators.
 *
 * - `similar` (`targetHandle`: `natgeo`, `@natgeo` or a profile URL): walks the related
 *   profiles breadth-first. The first step reads the target's profile and yields its related
 *   profiles (about 10 to 30, the target itself excluded); each next step visits the oldest
 *   queued related profile, which fills in that creator's followers, bio, emails and recent
 *   posts and queues its own related profiles. Every visit is one step and one API call, so the
 *   job's budget bounds the walk. The queue lives in the chain cursor (see {@link RelatedWalk}).
 *   An unknown target, or one Instagram shows no related profiles for (often a private one),
 *   ends the job with status `error` and a message saying so.
 * - `keyword`: one chain per keyword over the reels search (pages 1 to 11), reels grouped by
 *   owner into creators.
 */
export function instagram(options: InstagramOptions = {}): PlatformAdapter {
  const client = options.client ?? scrapeCreatorsClient(options);
  const concurrency = Math.max(1, options.enrichConcurrency ?? 4);
  const wantsEnrich = ({ job }: PageContext) => (typeof job.options?.enrich === "boolean" ? job.options.enrich : options.enrich === true);

  /** Related accounts of a visited profile that the walk has not met before (so no lookup is bought twice). */
  const freshRelated = (raw: unknown, { chain }: PageContext): string[] => {
    const user = client.parse(INSTAGRAM_PROFILE_PATH, raw, InstagramProfileSchema).data.user;
    const walk = decodeWalk(chain.cursor, chain.input);
    const known = new Set([chain.input, ...walk.visited, ...walk.next]);
    return [...new Set((user?.edge_related_profiles?.edges ?? []).map((e) => e.node.username.toLowerCase()))].filter((h) => !known.has(h));
  };

  const parseSimilar = (stored: unknown, { chain }: PageContext): PlatformPage => {
    const seed = chain.input;
    const walk = decodeWalk(chain.cursor, seed);
    const enriched = isEnriched(stored) ? stored : null;
    const raw = enriched ? enriched.profile : stored;
    const user = client.parse(INSTAGRAM_PROFILE_PATH, raw, InstagramProfileSchema).data.user;
    const matched = `@${seed}`;
    const isSeed = walk.visited.length === 0;
    const related: InstagramRelatedNode[] = (user?.edge_related_profiles?.edges ?? [])
      .map((e) => e.node)
      .filter((n) => n.username.toLowerCase() !== seed);
    if (isSeed) {
      // The whole search hangs on the target: say plainly why it cannot start.
      const refuse = (reason: string): never => {
        throw new ValidationError([{ field: "targetHandle", reason }]);
      };
      if (!user) refuse(`Instagram has no account @${seed} (check the spelling)`);
      if (related.length === 0) {
        refuse(
          user!.is_private
            ? `@${seed} is a private account and Instagram shows no related profiles for it; try a public account`
            : `Instagram shows no related profiles for @${seed}, so there is nothing to start a similar search from; try a larger account in the same niche`,
        );
      }
    }
    const creators = mergeById([
      ...(user && !isSeed ? [creatorOfUser(user, matched)] : []),
      ...related.map((n) => {
        const looked = enriched ? InstagramProfileSchema.safeParse(enriched.related[n.username.toLowerCase()]) : null;
        return looked?.success && looked.data.data.user ? creatorOfUser(looked.data.data.user, matched) : creatorOfRelated(n, matched);
      }),
    ]);
    // Private accounts are results but never visited: their related profiles are not shown.
    const next = advanceWalk(walk, related.filter((n) => !n.is_private).map((n) => n.username));
    const hasMore = next.next.length > 0;
    return { creators, nextCursor: hasMore ? encodeWalk(next) : null, hasMore };
  };

  const pageOf = (cursor: string | null) => (cursor === null ? 1 : Number(cursor));

  return {
    id: "instagram",
    name: "Instagram",
    modes: ["similar", "keyword"],
    planChains(request) {
      if (request.mode === "similar") {
        if (!request.targetHandle) throw new ValidationError([{ field: "targetHandle", reason: "is required for a similar search" }]);
        return [{ key: INSTAGRAM_SIMILAR_CHAIN, input: parseInstagramHandle(request.targetHandle) }];
      }
      if (request.mode === "keyword") return request.keywords.map((keyword, i) => ({ key: `k${i}`, input: keyword }));
      throw new ValidationError([{ field: "mode", reason: `Instagram supports similar and keyword search, not "${request.mode}"` }]);
    },
    async fetchPage(context) {
      const { chain, signal, reserveApiCalls } = context;
      const call = { signal, reserveRetry: retriesWithinBudget(reserveApiCalls) };
      if (chain.key === INSTAGRAM_SIMILAR_CHAIN) {
        const head = decodeWalk(chain.cursor, chain.input).next[0];
        if (!head) throw new ValidationError([{ field: "cursor", reason: "the related-profiles walk has nothing left to visit" }]);
        const profile = await client.getRaw(INSTAGRAM_PROFILE_PATH, { handle: head, cache_max_age: options.profileCacheMaxAge }, call);
        if (!wantsEnrich(context) || !reserveApiCalls) return profile;
        const fresh = freshRelated(profile, context);
        const granted = fresh.length ? await reserveApiCalls(fresh.length) : 0;
        const related: Record<string, unknown> = {};
        const queue = new PQueue({ concurrency });
        await queue.addAll(
          fresh.slice(0, granted).map((handle) => async () => {
            // Best effort: the visited profile is paid for already, so one failed lookup must not
            // fail (and re-buy) the whole step; that account just stays without numbers.
            related[handle] = await client.getRaw(INSTAGRAM_PROFILE_PATH, { handle, cache_max_age: options.profileCacheMaxAge }, call).catch(() => null);
          }),
        );
        return { profile, related } satisfies InstagramEnrichedPage;
      }
      return client.getRaw(
        INSTAGRAM_REELS_SEARCH_PATH,
        { query: chain.input, page: pageOf(chain.cursor), date_posted: options.datePosted },
        call,
      );
    },
    parsePage(raw, context) {
      if (context.chain.key === INSTAGRAM_SIMILAR_CHAIN) return parseSimilar(raw, context);
      const page = pageOf(context.chain.cursor);
      const reels = client.parse(INSTAGRAM_REELS_SEARCH_PATH, raw, InstagramReelsSearchSchema).reels ?? [];
      const hasMore = reels.length > 0 && page < INSTAGRAM_REELS_MAX_PAGE;
      return { creators: creatorsOfReels(reels, context.chain.input), nextCursor: hasMore ? String(page + 1) : null, hasMore };
    },
  };
}

export { parseInstagramHandle } from "./handle.js";
export type { RelatedWalk } from "./walk.js";
