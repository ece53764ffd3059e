import { personaOfHandle, personaOfTiktokUid } from "../../data/creator.js";
import { tiktokProfileAvatar } from "../../data/images.js";
import { optionalParam } from "../../http/params.js";
import { missingParameter } from "../../http/errors.js";
import type { Route } from "../types.js";

/**
 * `GET /v1/tiktok/profile`: `handle` (with or without `@`) or `user_id`; `cache_max_age`.
 * Answers `{ user, stats, itemList: [] }`. Not-found is undocumented upstream: the sandbox
 * answers 404 `{ success: false, message: "User not found" }`, billed like other upstream answers.
 */
export const tiktokProfile: Route = {
  path: "/v1/tiktok/profile",
  cacheable: true,
  handle({ params, options }) {
    const handle = optionalParam(params, "handle");
    const userId = optionalParam(params, "user_id");
    if (!handle && !userId) throw missingParameter("You must provide a handle or user_id");
    const persona = handle ? personaOfHandle(options.seed, handle) : personaOfTiktokUid(options.seed, userId!);
    if (!persona) return { status: 404, body: { error: "not_found", message: "User not found" } };
    const { seed, now } = options;
    return {
      body: {
        user: {
          id: persona.tiktokUid,
          uniqueId: persona.handle,
          nickname: persona.displayName,
          signature: persona.bio,
          verified: persona.verified,
          privateAccount: persona.isPrivate,
          secret: persona.isPrivate,
          secUid: persona.secUid,
          createTime: persona.createdAt,
          avatarLarger: tiktokProfileAvatar(seed, persona, 1080, now),
          avatarMedium: tiktokProfileAvatar(seed, persona, 720, now),
          avatarThumb: tiktokProfileAvatar(seed, persona, 100, now),
          ...(persona.website ? { bioLink: { link: persona.website, risk: 0 } } : {}),
          commerceUserInfo: { commerceUser: persona.isBusiness },
          ttSeller: false,
          language: persona.locale.language,
          region: persona.locale.region,
        },
        stats: {
          followerCount: persona.followers,
          followingCount: persona.following,
          heart: persona.likes,
          heartCount: persona.likes,
          videoCount: persona.videoCount,
          diggCount: 0,
          friendCount: Math.min(persona.following, Math.round(persona.following / 8)),
        },
        itemList: [],
      },
    };
  },
};
