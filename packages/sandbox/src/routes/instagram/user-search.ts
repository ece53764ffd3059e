import { creatorPool } from "../../data/creator-pool.js";
import { invalidParameter } from "../../http/errors.js";
import { optionalParam, requireParam } from "../../http/params.js";
import { alnum, random } from "../../data/random.js";
import { hashtagOf } from "../../data/video.js";
import type { Route } from "../types.js";
import { instagramFollowers, profilePic } from "./shapes.js";

/** Users the native IG search returns: one page only. */
const NATIVE_SEARCH_USERS = 10;
/** Profiles per page of the Google-indexed profile search. */
const PROFILES_PAGE_SIZE = 10;
/** The profile search refuses `cursor >= 12`. */
const PROFILES_MAX_PAGE = 11;

/**
 * `GET /v1/instagram/search`: `query` (required). Instagram's own search: one page of
 * `data.users` (no follower counts), `hashtags`, empty `places` / `keywords`.
 */
export const instagramSearch: Route = {
  path: "/v1/instagram/search",
  handle({ params, options }) {
    const query = requireParam(params, "query");
    const pool = creatorPool(options.seed, query, options.resultsPerQuery);
    const users = [];
    for (let slot = 0; slot < Math.min(NATIVE_SEARCH_USERS, pool.size); slot++) {
      const p = pool.personaAt(slot);
      users.push({ position: slot, id: p.instagramId, username: p.handle, full_name: p.displayName, is_verified: p.verified, profile_pic_url: profilePic(options.seed, p, options.now) });
    }
    const rng = random(options.seed, "ig-search", pool.query);
    const hashtags = [hashtagOf(pool.query), ...pool.niche.hashtags.slice(0, 3)].map((name, i) => ({
      position: users.length + i,
      id: `178415${String(random("ig-tag", name).int(1e10, 9e10))}`,
      name,
      media_count: rng.int(1_000, 9_000_000),
    }));
    return { body: { data: { query, users, hashtags, places: [], keywords: [], rank_token: `${alnum(rng, 8).toLowerCase()}-demo` } } };
  },
};

/**
 * `GET /v1/instagram/search/profiles`: `query` (required), `cursor` (string page number "1"–"11";
 * 12+ answers 400). Google-indexed profiles with follower counts; `cursor` is the next page
 * number as a string, `null` after the last.
 */
export const instagramProfileSearch: Route = {
  path: "/v1/instagram/search/profiles",
  handle({ params, options }) {
    const query = requireParam(params, "query");
    const raw = optionalParam(params, "cursor") ?? "1";
    const page = Number(raw);
    if (!Number.isInteger(page) || page < 1 || page > PROFILES_MAX_PAGE) throw invalidParameter(`cursor must be a page number between 1 and ${PROFILES_MAX_PAGE}`);
    const pool = creatorPool(options.seed, query, options.resultsPerQuery);
    const start = (page - 1) * PROFILES_PAGE_SIZE;
    const end = Math.min(pool.size, start + PROFILES_PAGE_SIZE);
    const profiles = [];
    for (let slot = start; slot < end; slot++) {
      const p = pool.personaAt(slot);
      const fromCaption = random(options.seed, "ig-matched", p.key).chance(0.3);
      profiles.push({
        id: p.instagramId,
        username: p.handle,
        full_name: p.displayName,
        biography: p.bio,
        bio_links: p.website ? [{ title: "Website", url: p.website, link_type: "external" }] : [],
        external_url: p.website,
        is_private: p.isPrivate,
        is_verified: p.verified,
        is_business_account: p.isBusiness,
        category_name: p.isBusiness ? p.niche.category : null,
        profile_pic_url: profilePic(options.seed, p, options.now),
        follower_count: instagramFollowers(p),
        following_count: p.following,
        media_count: Math.round(p.videoCount * 0.7) + 3,
        url: `https://www.instagram.com/${p.handle}/`,
        matched_from: fromCaption ? "caption" : "profile",
        google_title: `${p.displayName} (@${p.handle}) • Instagram photos and videos`,
        google_description: `${instagramFollowers(p)} Followers, ${p.following} Following - ${p.bio.split("\n")[0]}`,
      });
    }
    const more = end < pool.size && page < PROFILES_MAX_PAGE;
    return { body: { query, profiles, cursor: more ? String(page + 1) : null } };
  },
};
