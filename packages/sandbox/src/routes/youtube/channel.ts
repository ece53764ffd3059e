import { type Persona, personaOf, personaOfHandle } from "../../data/creator.js";
import { keyOfChannelId } from "../../data/ids.js";
import { youtubeChannelAvatar } from "../../data/images.js";
import { random } from "../../data/random.js";
import { missingParameter } from "../../http/errors.js";
import { optionalParam } from "../../http/params.js";
import type { Route } from "../types.js";
import { abbreviate, subscribers } from "./shapes.js";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** The creator a `channelId`, `handle` or channel `url` names, or `null` when not found. */
function resolve(seed: string, channelId: string | null, handle: string | null, url: string | null): Persona | null {
  if (url) {
    const match = /youtube\.com\/(?:@([^/?#]+)|channel\/(UC[\w-]{22}))/i.exec(url);
    if (!match) return null;
    return resolve(seed, match[2] ?? null, match[1] ?? null, null);
  }
  if (channelId) {
    const key = keyOfChannelId(channelId);
    if (key === null) return null;
    const persona = personaOf(seed, key);
    return persona.youtubeChannelId === channelId ? persona : null;
  }
  return personaOfHandle(seed, handle!);
}

/**
 * `GET /v1/youtube/channel`: one of `channelId`, `handle` (with or without `@`), `url`;
 * `cache_max_age`. Without any: 400 "You must provide a handle or a channelId" (the real
 * wording). An unknown channel id or a "missing" handle answers 404 (undocumented upstream).
 * Linked sites also appear as dynamic top-level keys (`instagram`, `twitter`), as upstream.
 */
export const youtubeChannel: Route = {
  path: "/v1/youtube/channel",
  cacheable: true,
  handle({ params, options }) {
    const channelId = optionalParam(params, "channelId");
    const handle = optionalParam(params, "handle");
    const url = optionalParam(params, "url");
    if (!channelId && !handle && !url) throw missingParameter("You must provide a handle or a channelId");
    const persona = resolve(options.seed, channelId, handle, url);
    if (!persona) return { status: 404, body: { error: "not_found", message: "Channel not found" } };
    const rng = random(options.seed, "yt-channel", persona.key);
    const subs = subscribers(persona);
    const videos = Math.round(persona.videoCount * 0.4) + 5;
    const views = subs * rng.int(20, 300);
    const joined = new Date(persona.createdAt * 1000);
    const instagram = rng.chance(0.6) ? `https://instagram.com/${persona.handle}` : null;
    const links = [instagram, persona.website].filter((l): l is string => l !== null);
    return {
      body: {
        channelId: persona.youtubeChannelId,
        channel: `http://www.youtube.com/@${persona.handle}`,
        handle: `@${persona.handle}`,
        name: persona.displayName,
        avatar: {
          image: { sources: [72, 120, 160].map((size) => ({ url: youtubeChannelAvatar(options.seed, persona, size), width: size, height: size })) },
        },
        description: persona.bio,
        subscriberCount: subs,
        subscriberCountText: `${abbreviate(subs)} subscribers`,
        videoCount: videos,
        videoCountText: `${videos.toLocaleString("en-US")} videos`,
        viewCount: views,
        viewCountText: `${views.toLocaleString("en-US")} views`,
        joinedDateText: `Joined ${MONTHS[joined.getUTCMonth()]} ${joined.getUTCDate()}, ${joined.getUTCFullYear()}`,
        tags: [persona.niche.id, ...persona.niche.hashtags.slice(0, 3)].join(", "),
        email: persona.email && rng.chance(0.3) ? persona.email : null,
        ...(instagram ? { instagram } : {}),
        links,
        country: persona.locale.country,
      },
    };
  },
};
