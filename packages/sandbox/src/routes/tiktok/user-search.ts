import { creatorPool } from "../../data/creator-pool.js";
import { boolParam, intParam, requireParam } from "../../http/params.js";
import type { Route } from "../types.js";
import { tiktokAuthor, tiktokUserInfo } from "./shapes.js";

/** Users per page, as in the docs sample (`cursor: 10`). */
export const USER_SEARCH_PAGE_SIZE = 10;
/** Users a query finds at most. */
export const USER_SEARCH_LIMIT = 100;

/**
 * `GET /v1/tiktok/search/users`: `query` (required), `cursor` (offset), `trim`. The users are
 * the creators the same keyword search finds. `has_more` is undocumented; sent as 0/1 like the
 * keyword search, with `cursor: null` at the end.
 */
export const tiktokUserSearch: Route = {
  path: "/v1/tiktok/search/users",
  handle({ params, options }) {
    const query = requireParam(params, "query");
    const cursor = intParam(params, "cursor", 0);
    const pool = creatorPool(options.seed, query, options.resultsPerQuery);
    const total = Math.min(pool.size, USER_SEARCH_LIMIT);
    const end = Math.min(total, cursor + USER_SEARCH_PAGE_SIZE);
    const trim = boolParam(params, "trim");
    const users: Record<string, unknown>[] = [];
    for (let slot = cursor; slot < end; slot++) {
      const persona = pool.personaAt(slot);
      if (trim) {
        const { follower_count, following_count, nickname, sec_uid, uid, unique_id, avatar_medium } = tiktokAuthor(options.seed, persona, options.now);
        users.push({ follower_count, following_count, nickname, sec_uid, uid, unique_id, avatar_medium });
      } else {
        users.push({
          position: slot,
          uniqid_position: `${slot}`,
          items: null,
          challenges: null,
          musics: null,
          mix_list: null,
          user_info: tiktokUserInfo(options.seed, persona, options.now),
        });
      }
    }
    const more = end < total;
    return { body: { cursor: more ? end : null, has_more: more ? 1 : 0, users } };
  },
};
