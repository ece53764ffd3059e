import { datePostedWindow } from "./clock.js";
import { creatorPool, type CreatorPool, normalizeQuery } from "./creator-pool.js";
import { random } from "./random.js";
import { type Video, videoOf } from "./video.js";

/** Chance that an item repeats one from an earlier page (the real API does this; clients dedupe). */
const REPEAT_CHANCE = 0.07;
/** Chance that an item has the same author as the one before it (authors post in bursts). */
const SAME_AUTHOR_CHANCE = 0.3;
/** Chance that a page comes back a few items short, as the real API's pages sometimes do. */
const SHORT_PAGE_CHANCE = 0.2;

export interface KeywordStreamOptions {
  seed: string;
  query: string;
  /** Items the query yields in total. */
  total: number;
  /** Items per full page. */
  pageSize: number;
  /** Unix seconds of "now". */
  now: number;
  /** TikTok `date_posted`. */
  datePosted?: string | null;
  /** TikTok `sort_by`. */
  sortBy?: string | null;
}

/** One page: videos from `cursor`, and the cursor after them (`null` on the last page). */
export interface StreamPage {
  videos: Video[];
  nextCursor: number | null;
}

/**
 * The videos a keyword search yields, position by position. Any position is computed on its own
 * (O(1) amortised), so a stream of 20 000 items never exists in memory.
 */
export interface KeywordStream {
  readonly query: string;
  readonly total: number;
  readonly pool: CreatorPool;
  /** The page starting at `cursor` (an offset: the count of items served before it). */
  page(cursor: number): StreamPage;
  /** The video at `position`; repeats resolve to the earlier item they copy. */
  videoAt(position: number): Video;
}

export function keywordStream(options: KeywordStreamOptions): KeywordStream {
  const { seed, total, pageSize, now } = options;
  const query = normalizeQuery(options.query);
  const pool = creatorPool(seed, query, total);
  const sortBy = options.sortBy ?? "relevance";
  const window = datePostedWindow(options.datePosted ?? null);
  // Filters change which videos come back, so they are part of the stream's identity.
  const streamKey = `${query}|${options.datePosted ?? "all-time"}|${sortBy}`;

  const sourceOf = (position: number): number => {
    let p = position;
    while (p >= pageSize && random(seed, "repeat", streamKey, p).chance(REPEAT_CHANCE)) {
      p = Math.max(0, p - random(seed, "repeat-of", streamKey, p).int(pageSize, 2 * pageSize));
    }
    return p;
  };

  const slotOf = (position: number): number => {
    let p = position;
    while (p > 0 && random(seed, "same-author", streamKey, p).chance(SAME_AUTHOR_CHANCE)) p--;
    return random(seed, "slot", streamKey, p).int(0, pool.size - 1);
  };

  const freshVideo = (p: number): Video => {
    const rng = random(seed, "when", streamKey, p);
    const createTime =
      sortBy === "date-posted"
        ? Math.round(now - window * ((p + rng.next()) / (total + 1)))
        : Math.round(now - 600 - rng.next() * window);
    const popularity = sortBy === "most-liked" ? 0.05 + 4 * (1 - p / total) ** 2 : 1;
    return videoOf({
      seed,
      streamKey,
      position: p,
      author: pool.personaAt(slotOf(p)),
      niche: pool.niche,
      query,
      createTime,
      popularity,
      mention: () => pool.personaAt(random(seed, "mention", streamKey, p).int(0, pool.size - 1)),
    });
  };

  const videoAt = (position: number) => freshVideo(sourceOf(position));

  const pageLength = (cursor: number): number => {
    const rng = random(seed, "page", streamKey, cursor);
    return rng.chance(SHORT_PAGE_CHANCE) ? Math.max(1, pageSize - rng.int(1, 3)) : pageSize;
  };

  return {
    query,
    total,
    pool,
    videoAt,
    page(cursor) {
      const start = Math.max(0, Math.floor(cursor));
      if (start >= total) return { videos: [], nextCursor: null };
      const end = Math.min(total, start + pageLength(start));
      const videos: Video[] = [];
      for (let p = start; p < end; p++) videos.push(videoAt(p));
      return { videos, nextCursor: end < total ? end : null };
    },
  };
}
