import { creditBalanceRoute } from "./account/credit-balance.js";
import { instagramProfile } from "./instagram/profile.js";
import { instagramReelsSearch, instagramReelsSearchLegacy } from "./instagram/reels-search.js";
import { instagramProfileSearch, instagramSearch } from "./instagram/user-search.js";
import { tiktokKeywordSearch } from "./tiktok/keyword-search.js";
import { tiktokProfile } from "./tiktok/profile.js";
import { tiktokUserSearch } from "./tiktok/user-search.js";
import type { Route } from "./types.js";
import { youtubeChannel } from "./youtube/channel.js";
import { youtubeSearch } from "./youtube/search.js";

/** Every endpoint, keyed by path. `balance` reads the sandbox's credits for the balance routes. */
export function routeTable(balance: () => number): Map<string, Route> {
  const routes: Route[] = [
    tiktokKeywordSearch,
    tiktokUserSearch,
    tiktokProfile,
    instagramProfile,
    instagramSearch,
    instagramProfileSearch,
    instagramReelsSearch,
    instagramReelsSearchLegacy,
    youtubeSearch,
    youtubeChannel,
    creditBalanceRoute("/v1/account/credit-balance", balance),
    creditBalanceRoute("/v1/credit-balance", balance),
  ];
  return new Map(routes.map((r) => [r.path, r]));
}

/** The paths the sandbox serves. */
export const SANDBOX_PATHS = [...routeTable(() => 0).keys()];
