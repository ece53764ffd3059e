import { isoOf } from "../../data/clock.js";
import type { Persona } from "../../data/creator.js";
import { tiktokAvatar, tiktokCover, tiktokPlayUrl } from "../../data/images.js";
import { tiktokMedia } from "../../data/media-padding.js";
import { alnum, random } from "../../data/random.js";
import type { Video } from "../../data/video.js";

/**
 * TikTok's raw app objects, as ScrapeCreators passes them through. By default only a realistic
 * subset of the real item is produced; with the `pageKb` option the media fields (bit-rate
 * ladder, play and download addresses, covers, music) bring it to the real size. Field names and
 * types follow the research notes.
 */

/** Verification as TikTok encodes it in search: no boolean, a non-empty `custom_verify`. */
function verification(persona: Persona) {
  return { custom_verify: persona.verified ? "Verified account" : "", enterprise_verify_reason: "", verification_type: 1 };
}

/**
 * The accounts an author linked: about 60% an Instagram handle (`ins_id`, the same persona's
 * Instagram account), about 30% a YouTube channel; the rest send the fields empty, as TikTok does.
 */
function linkedAccounts(seed: string, persona: Persona) {
  const rng = random(seed, "tiktok-links", persona.handle);
  const youtube = rng.chance(0.3);
  return {
    ins_id: rng.chance(0.6) ? persona.handle : "",
    youtube_channel_id: youtube ? persona.youtubeChannelId : "",
    youtube_channel_title: youtube ? persona.displayName : "",
  };
}

/** `author` of a search item. `signature` is usually absent in search results. */
export function tiktokAuthor(seed: string, persona: Persona, now: number): Record<string, unknown> {
  return {
    uid: persona.tiktokUid,
    unique_id: persona.handle,
    nickname: persona.displayName,
    sec_uid: persona.secUid,
    ...(persona.signatureInSearch ? { signature: persona.bio } : {}),
    follower_count: persona.followers,
    following_count: persona.following,
    total_favorited: persona.likes,
    aweme_count: persona.videoCount,
    region: persona.locale.region,
    language: persona.locale.language,
    ...verification(persona),
    ...linkedAccounts(seed, persona),
    avatar_thumb: tiktokAvatar(seed, persona, 100, now),
    avatar_medium: tiktokAvatar(seed, persona, 720, now),
    avatar_168x168: tiktokAvatar(seed, persona, 168, now),
    avatar_300x300: tiktokAvatar(seed, persona, 300, now),
    avatar_larger: tiktokAvatar(seed, persona, 1080, now),
  };
}

function statistics(video: Video) {
  const s = video.stats!;
  return {
    aweme_id: video.id,
    play_count: s.plays,
    digg_count: s.likes,
    comment_count: s.comments,
    share_count: s.shares,
    collect_count: s.saves,
    download_count: s.downloads,
    forward_count: 0,
    repost_count: 0,
    whatsapp_share_count: Math.round(s.shares / 10),
    lose_count: 0,
    lose_comment_count: 0,
  };
}

function textExtra(video: Video) {
  return video.entities.map((e) =>
    e.kind === "hashtag"
      ? { type: 1, hashtag_name: e.text, hashtag_id: String(random("hashtag", e.text).int(1_000, 9_999_999)), start: e.start, end: e.end, user_id: "", sec_uid: "", is_commerce: false }
      : { type: 0, hashtag_name: "", hashtag_id: "", start: e.start, end: e.end, user_id: e.persona!.tiktokUid, sec_uid: e.persona!.secUid, is_commerce: false },
  );
}

/** The video fields shared by the full and trimmed search items. */
function core(seed: string, video: Video, now: number) {
  const url = `https://www.tiktok.com/@${video.author.handle}/video/${video.id}`;
  return {
    aweme_id: video.id,
    desc: video.caption,
    desc_language: video.author.locale.language,
    create_time: video.createTime,
    create_time_utc: isoOf(video.createTime),
    region: video.region,
    url,
    author: tiktokAuthor(seed, video.author, now),
    // Some items come without statistics: consumers must cope.
    ...(video.stats ? { statistics: statistics(video) } : {}),
    video: {
      duration: video.durationMs,
      width: video.width,
      height: video.height,
      cover: tiktokCover(seed, video.coverId, now),
      origin_cover: tiktokCover(seed, `${video.coverId}o`, now),
      play_addr: { url_list: [tiktokPlayUrl(seed, video.id, now)] },
    },
    is_ad: video.isAd,
    is_paid_partnership: video.isPaidPartnership,
    is_eligible_for_commission: false,
  };
}

/**
 * A full `aweme_info`: with `share_url` (tracking query string included), `text_extra`, `music`.
 * `itemBytes` > 0 pads it with media fields to about that many bytes of JSON.
 */
export function tiktokAweme(seed: string, video: Video, now: number, itemBytes = 0): Record<string, unknown> {
  const rng = random(seed, "share", video.id);
  const { url, ...rest } = core(seed, video, now);
  const aweme = {
    ...rest,
    share_url: `${url}?_r=1&u_code=${alnum(rng, 11).toLowerCase()}&preview_pb=0&sharer_language=en&_d=${alnum(rng, 8)}&share_item_id=${video.id}&source=h5_m&utm_source=copy`,
    url,
    text_extra: textExtra(video),
    music: { id: String(rng.int(1e9, 9e9)), title: video.song, author: video.song.startsWith("original sound") ? video.author.displayName : "Various" },
  };
  if (itemBytes <= 0) return aweme;
  // `{"aweme_info":…}` and the comma between items count towards the item too.
  const media = tiktokMedia(seed, video.id, video.coverId, now, itemBytes - JSON.stringify(aweme).length - 16);
  return {
    ...aweme,
    author: { ...aweme.author, ...media.author },
    video: { ...aweme.video, ...media.video },
    music: { ...aweme.music, ...media.music },
  };
}

/** A `trim=true` item: the aweme itself, without `share_url` and `text_extra`. */
export function tiktokTrimmedAweme(seed: string, video: Video, now: number): Record<string, unknown> {
  return core(seed, video, now);
}

/** `user_info` of a user-search result. */
export function tiktokUserInfo(seed: string, persona: Persona, now: number): Record<string, unknown> {
  return {
    ...tiktokAuthor(seed, persona, now),
    is_private_account: persona.isPrivate ? 1 : 0,
    ins_id: persona.handle,
    search_user_name: persona.displayName,
    search_user_desc: persona.bio.split("\n")[0],
  };
}
