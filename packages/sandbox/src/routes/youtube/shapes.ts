import { isoOf, relativeTime } from "../../data/clock.js";
import type { Persona } from "../../data/creator.js";
import type { CreatorPool } from "../../data/creator-pool.js";
import { youtubeSearchAvatar, youtubeThumbnail } from "../../data/images.js";
import { withMedia, youtubeThumbnails } from "../../data/media-padding.js";
import { random, urlSafe } from "../../data/random.js";

/** ScrapeCreators' own flattened YouTube shapes (not raw YouTube JSON). */

/** YouTube channels count a little higher than TikTok for the same creator. */
export const subscribers = (persona: Persona) => Math.round(persona.followers * 0.45) + 12;

/** `"12.4K"`-style abbreviation. */
export function abbreviate(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(n >= 1e10 ? 0 : 1).replace(/\.0$/, "")}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e7 ? 0 : 1).replace(/\.0$/, "")}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(n >= 1e4 ? 0 : 1).replace(/\.0$/, "")}K`;
  return String(n);
}

/** `"4:14"` / `"1:02:03"`. */
function lengthText(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** The channel's handle; creators without one show as `channel/UC…`. */
export function youtubeHandle(seed: string, persona: Persona): string {
  return random(seed, "yt-handle", persona.key).chance(0.05) ? `channel/${persona.youtubeChannelId}` : persona.handle;
}

/** A `videos[]` / `shorts[]` item of a search for `pool`'s query, at `position`; `itemBytes` > 0 adds every thumbnail size. */
export function youtubeVideo(seed: string, pool: CreatorPool, position: number, kind: "video" | "short", now: number, itemBytes = 0): Record<string, unknown> {
  const rng = random(seed, "yt-video", kind, pool.query, position);
  const persona = pool.personaAt(rng.int(0, pool.size - 1));
  const id = urlSafe(rng, 11);
  const views = rng.logNormal(subscribers(persona) * 0.5, 1.4);
  const age = rng.int(3_600, 4 * 365 * 86_400);
  const seconds = kind === "short" ? rng.int(8, 59) : rng.int(45, 3_600);
  const title = `${rng.pick(pool.niche.captions)}${rng.chance(0.5) ? ` | ${pool.query}` : ""}`;
  const video = {
    type: kind,
    id,
    url: kind === "short" ? `https://www.youtube.com/shorts/${id}` : `https://www.youtube.com/watch?v=${id}`,
    title,
    thumbnail: youtubeThumbnail(seed, id),
    channel: { id: persona.youtubeChannelId, title: persona.displayName, handle: youtubeHandle(seed, persona), thumbnail: youtubeSearchAvatar(seed, persona, 68) },
    viewCountText: `${views.toLocaleString("en-US")} views`,
    viewCountInt: views,
    publishedTimeText: relativeTime(age),
    // Computed from the relative text upstream, so only approximate.
    publishedTime: isoOf(now - age),
    lengthText: lengthText(seconds),
    lengthSeconds: seconds,
    badges: rng.chance(0.3) ? [rng.pick(["4K", "CC", "New"])] : [],
  };
  return withMedia(video, itemBytes, (budget) => youtubeThumbnails(seed, id, budget));
}

/** A `channels[]` item of a search. */
export function youtubeChannelResult(seed: string, persona: Persona): Record<string, unknown> {
  const subs = subscribers(persona);
  return {
    type: "channel",
    id: persona.youtubeChannelId,
    channelName: persona.displayName,
    handle: youtubeHandle(seed, persona),
    description: persona.bio.split("\n")[0],
    thumbnail: youtubeSearchAvatar(seed, persona, 176),
    subscriberCountText: abbreviate(subs),
    subscriberCountInt: subs,
    badges: persona.verified ? ["Verified"] : [],
  };
}
