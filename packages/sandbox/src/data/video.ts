import type { Persona } from "./creator.js";
import { tiktokId } from "./ids.js";
import { SONGS } from "./names.js";
import type { Niche } from "./niches.js";
import { alnum, random } from "./random.js";

/** A `#tag` or `@mention` inside a caption, with its character offsets. */
export interface CaptionEntity {
  kind: "hashtag" | "mention";
  /** Hashtag name or mentioned handle, without `#` / `@`. */
  text: string;
  start: number;
  end: number;
  /** The mentioned creator, for mentions. */
  persona?: Persona;
}

/** A platform-neutral short video. */
export interface Video {
  id: string;
  author: Persona;
  caption: string;
  entities: CaptionEntity[];
  /** Unix seconds. */
  createTime: number;
  /** `null` for the items that come without statistics. */
  stats: { plays: number; likes: number; comments: number; shares: number; saves: number; downloads: number } | null;
  durationMs: number;
  width: number;
  height: number;
  coverId: string;
  song: string;
  region: string;
  isAd: boolean;
  isPaidPartnership: boolean;
}

export interface VideoSpec {
  seed: string;
  /** Identifies the video: the stream it comes from and its position in it. */
  streamKey: string;
  position: number;
  author: Persona;
  niche: Niche;
  query: string;
  createTime: number;
  /** Scales likes and plays (most-liked sorting ranks early items higher). */
  popularity: number;
  /** Someone else to @mention now and then. */
  mention: () => Persona;
}

/** The query as a hashtag: `"home cooking"` -> `homecooking`. */
export const hashtagOf = (query: string) => query.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");

/** One video of the stream; a pure function of the spec. */
export function videoOf(spec: VideoSpec): Video {
  const rng = random(spec.seed, "video", spec.streamKey, spec.position);
  const id = tiktokId(spec.seed, "aweme", spec.streamKey, spec.position);
  const tags = [hashtagOf(spec.query), ...rng.sample(spec.niche.hashtags, rng.int(1, 4))].filter((t, i, all) => t && all.indexOf(t) === i);
  let caption = `${rng.pick(spec.niche.captions)}${rng.chance(0.4) ? ` ${spec.query}` : ""}`;
  const entities: CaptionEntity[] = [];
  for (const tag of tags) {
    caption += " ";
    entities.push({ kind: "hashtag", text: tag, start: caption.length, end: caption.length + tag.length + 1 });
    caption += `#${tag}`;
  }
  if (rng.chance(0.2)) {
    const persona = spec.mention();
    caption += " with ";
    entities.push({ kind: "mention", text: persona.handle, start: caption.length, end: caption.length + persona.handle.length + 1, persona });
    caption += `@${persona.handle}`;
  }
  const plays = Math.round(rng.logNormal(Math.max(200, spec.author.followers * 0.6), 1.3) * spec.popularity);
  const likes = Math.round(plays * (0.02 + rng.next() * 0.12));
  const stats = rng.chance(0.06)
    ? null
    : {
        plays,
        likes,
        comments: Math.round(likes * (0.005 + rng.next() * 0.04)),
        shares: Math.round(likes * (0.003 + rng.next() * 0.05)),
        saves: Math.round(likes * (0.04 + rng.next() * 0.2)),
        downloads: Math.round(likes * rng.next() * 0.01),
      };
  return {
    id,
    author: spec.author,
    caption,
    entities,
    createTime: spec.createTime,
    stats,
    durationMs: rng.int(6, 180) * 1000 + rng.int(0, 999),
    width: 576,
    height: 1024,
    coverId: alnum(rng, 32).toLowerCase(),
    song: rng.chance(0.5) ? `original sound - ${spec.author.handle}` : rng.pick(SONGS),
    region: spec.author.locale.region,
    isAd: rng.chance(0.01),
    isPaidPartnership: rng.chance(0.04),
  };
}
