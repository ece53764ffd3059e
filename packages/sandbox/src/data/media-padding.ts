import { type Random, random, urlSafe } from "./random.js";

/**
 * The media fields that make real answers big: play addresses, bit-rate ladders, image
 * candidates, each a list of long signed CDN URLs. A real TikTok keyword page is ~1.8 MB
 * (~60 KB per video), and the bulk is these URLs, whose random tokens compress poorly. With
 * `pageKb` the sandbox adds them so storage and memory are measured on pages of that size;
 * without it items stay compact. Consumers never read these fields (adapters ignore them).
 *
 * Every value is a pure function of (seed, item id), like the rest of the sandbox.
 */

/**
 * Size of an item relative to a TikTok keyword-search video. ScrapeCreators' Instagram reels
 * carry fewer renditions, profile timeline posts fewer still, and its flattened YouTube results
 * only thumbnails.
 */
export const PADDING_SHARE = { tiktokVideo: 1, instagramReel: 1 / 3, instagramPost: 1 / 6, youtubeVideo: 1 / 20 } as const;

/** Bytes an item of `share` should weigh when full pages of `pageSize` items weigh `pageKb`; 0 when off. */
export function itemBytes(options: { pageKb: number; pageSize: number }, share: number): number {
  return options.pageKb > 0 ? Math.round(((options.pageKb * 1024) / options.pageSize) * share) : 0;
}

/** JSON length of a value, as it goes on the wire (ASCII only here, so characters = bytes). */
const sizeOf = (value: unknown) => JSON.stringify(value).length;

/**
 * `item` with the fields of `media` merged in, given what `item` leaves of `bytes`; `item`
 * itself when `bytes` is 0 (padding off).
 */
export function withMedia(item: Record<string, unknown>, bytes: number, media: (budget: number) => Record<string, unknown>): Record<string, unknown> {
  return bytes > 0 ? { ...item, ...media(bytes - sizeOf(item) - 1) } : item;
}

/**
 * Entries from `make` while the list's JSON stays within `budget` bytes (an entry that would
 * overshoot by more than half its size is left out), so items land close to the target.
 */
function fillList<T>(budget: number, make: (index: number) => T): T[] {
  const out: T[] = [];
  let used = 2; // []
  for (let i = 0; i < 100_000; i++) {
    const entry = make(i);
    const size = sizeOf(entry) + (out.length ? 1 : 0);
    if (used + size / 2 > budget) break;
    out.push(entry);
    used += size;
  }
  return out;
}

const HEX = "0123456789abcdef";
function hex(rng: Random, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += HEX[rng.int(0, 15)];
  return out;
}
const b64 = (rng: Random, length: number) => urlSafe(rng, length);

// ---------------------------------------------------------------- TikTok

const TIKTOK_VIDEO_HOSTS = ["v16m.tiktokcdn-us.com", "v19.tiktokcdn-us.com", "v45.tiktokcdn-eu.com", "v16-cla.tiktokcdn.com"];
const TIKTOK_IMAGE_HOSTS = ["p16-sign.tiktokcdn-us.com", "p19-sign.tiktokcdn-us.com", "p16-sg.tiktokcdn.com", "p77-sg.tiktokcdn.com"];

/** A signed video URL as TikTok's CDN hands them out (~600 characters, most of it random). */
function tiktokVideoUrl(rng: Random, videoId: string, expires: number, bitRate: number): string {
  const host = rng.pick(TIKTOK_VIDEO_HOSTS);
  return (
    `https://${host}/${hex(rng, 32)}/${expires.toString(16)}/video/tos/useast5/tos-useast5-ve-0068c00${rng.int(1, 4)}-tx/${b64(rng, 32)}/` +
    `?a=1233&bti=${b64(rng, 32)}&ch=0&cr=3&dr=0&lr=all&cd=0%7C0%7C0%7C&cv=1&br=${Math.round(bitRate / 1000)}&bt=${Math.round(bitRate / 2000)}` +
    `&cs=${rng.int(0, 2)}&ds=${rng.int(3, 6)}&ft=${b64(rng, 10)}&mime_type=video_mp4&qs=${rng.int(0, 14)}&rc=${b64(rng, 128)}` +
    `&btag=e000${rng.int(10, 99)}000&expire=${expires}&l=${hex(rng, 34).toUpperCase()}&ply_type=2&policy=2` +
    `&signature=${hex(rng, 32)}&tk=tt_chain_token&video_id=${videoId}&vvpl=1&x-expires=${expires}&x-signature=${b64(rng, 28)}%3D`
  );
}

/** A signed image URL (covers, music covers, author header images). */
function tiktokImageUrl(rng: Random, uri: string, size: string, ext: string, expires: number): string {
  return (
    `https://${rng.pick(TIKTOK_IMAGE_HOSTS)}/${uri}~tplv-tiktokx-${size}.${ext}?dr=${rng.int(9000, 9999)}&refresh_token=${hex(rng, 32)}` +
    `&x-expires=${expires}&x-signature=${b64(rng, 28)}%3D&t=${hex(rng, 8)}&ps=${hex(rng, 8)}&shp=${hex(rng, 8)}&shcp=${hex(rng, 8)}&idc=useast5`
  );
}

/** `{ uri, url_list, url_key, data_size, file_hash, ... }`: one rendition, its URL on three CDNs. */
function tiktokAddr(rng: Random, videoId: string, expires: number, bitRate: number, width: number, height: number) {
  const uri = `v${rng.int(10, 19)}044g${rng.int(40, 59)}000${b64(rng, 20).toLowerCase()}`;
  return {
    uri,
    url_list: [0, 1, 2].map(() => tiktokVideoUrl(rng, videoId, expires, bitRate)),
    width,
    height,
    url_key: `${uri}_h264_${width}p_${bitRate}`,
    data_size: rng.int(400_000, 9_000_000),
    file_hash: hex(rng, 32),
    file_cs: `c:0-${rng.int(10_000, 99_999)}-${hex(rng, 4)}`,
  };
}

const GEARS = ["adapt_lowest_1080_1", "adapt_1080_1", "normal_720_0", "adapt_lower_720_1", "normal_540_0", "lowest_540_0", "adapt_540_1", "lower_540_0"];

/** One gear of the `bit_rate` ladder. */
function tiktokGear(rng: Random, videoId: string, expires: number, index: number) {
  const height = [1920, 1280, 1024, 960][index % 4]!;
  const bitRate = rng.int(300_000, 2_500_000);
  return {
    gear_name: GEARS[index % GEARS.length],
    quality_type: rng.int(2, 30),
    bit_rate: bitRate,
    play_addr: tiktokAddr(rng, videoId, expires, bitRate, Math.round((height * 9) / 16), height),
    is_bytevc1: rng.int(0, 1),
    dub_infos: null,
    HDR_type: "",
    HDR_bit: "",
    FPS: 30,
    video_extra: `{"PktOffsetMap":"[{\\"time\\": 4, \\"offset\\": ${rng.int(100_000, 900_000)}}]","mvmaf":"{\\"v2.0\\": {\\"srv1\\": {\\"v1080\\": ${rng.int(80, 99)}.${rng.int(0, 999)}}}}"}`,
    format: "mp4",
  };
}

/** The padded fields of a search item's `video`, `music` and `author`; `budget` bytes in all. */
export function tiktokMedia(seed: string, videoId: string, coverId: string, now: number, budget: number) {
  const rng = random(seed, "tiktok-media", videoId);
  const expires = now + 3 * 86_400;
  const cover = (size: string, ext = "jpeg") => ({
    uri: `tos-useast5-p-0068-tx/${coverId}`,
    url_list: [tiktokImageUrl(rng, `tos-useast5-p-0068-tx/${coverId}`, size, ext, expires), tiktokImageUrl(rng, `tos-useast5-p-0068-tx/${coverId}`, size, "jpeg", expires)],
    width: 720,
    height: 720,
  });
  const musicUri = `tos-useast5-v-${rng.int(1000, 9999)}/${hex(rng, 32)}`;
  const music = {
    play_url: { uri: `${musicUri}.mp3`, url_list: [`https://sf16-ies-music-sg.tiktokcdn.com/obj/${musicUri}.mp3?x-expires=${expires}&x-signature=${b64(rng, 28)}%3D`], width: 720, height: 720 },
    cover_large: cover("cropcenter:1080:1080"),
    cover_medium: cover("cropcenter:720:720", "webp"),
    cover_thumb: cover("cropcenter:100:100", "webp"),
  };
  const author = { cover_url: [cover("crop:1125:633", "webp")], share_info: { share_qrcode_url: cover("qrcode:512:512") } };
  const video = {
    download_addr: tiktokAddr(rng, videoId, expires, 900_000, 576, 1024),
    play_addr_h264: tiktokAddr(rng, videoId, expires, 900_000, 576, 1024),
    play_addr_bytevc1: tiktokAddr(rng, videoId, expires, 700_000, 576, 1024),
    dynamic_cover: cover("cropcenter:500:800", "webp"),
    animated_cover: cover("cropcenter:300:400", "webp"),
    ai_dynamic_cover: cover("cropcenter:500:800", "heic"),
    big_thumbs: [{ img_url: tiktokImageUrl(rng, `tos-useast5-p-0068-tx/${coverId}`, "noop", "image", expires), duration: 30, fext: "jpg", img_num: 25 }],
  };
  // The ladder takes what the fixed fields leave: a real item carries 4-8 gears of 3 URLs
  // each, plus fields the sandbox does not model; the ladder stands in for all of them.
  const used = sizeOf(music) + sizeOf(author) + sizeOf(video) + 20;
  const bitRates = fillList(budget - used, (i) => tiktokGear(rng, videoId, expires, i));
  return { video: { ...video, bit_rate: bitRates }, music, author };
}

// ---------------------------------------------------------------- Instagram

const INSTAGRAM_HOSTS = ["scontent-iad3-1.cdninstagram.com", "scontent-lax3-1.cdninstagram.com", "instagram.fsac1-1.fna.fbcdn.net", "scontent-lga3-2.cdninstagram.com"];

function instagramUrl(rng: Random, id: string, kind: "jpg" | "mp4", variant: string, expires: number): string {
  const host = rng.pick(INSTAGRAM_HOSTS);
  const path = kind === "mp4" ? `o1/v/t16/f2/m86/${b64(rng, 44)}.mp4` : `v/t51.2885-15/${id}_${rng.int(10 ** 14, 10 ** 15 - 1)}_n.jpg`;
  return (
    `https://${host}/${path}?stp=${variant}&efg=${b64(rng, 120)}&_nc_ht=${host}&_nc_cat=${rng.int(100, 111)}&_nc_oc=${b64(rng, 48)}` +
    `&_nc_ohc=${b64(rng, 22)}&_nc_gid=${b64(rng, 22)}&edm=${b64(rng, 16)}&ccb=7-5&oh=00_${b64(rng, 44)}&oe=${expires.toString(16).toUpperCase()}&_nc_sid=${hex(rng, 6)}`
  );
}

/**
 * `image_versions2.candidates` and, for videos, `video_versions`, as Instagram's media objects
 * carry them; `budget` bytes in all. Posts of a profile use the same field names.
 */
export function instagramMedia(seed: string, mediaId: string, isVideo: boolean, now: number, budget: number) {
  const rng = random(seed, "instagram-media", mediaId);
  const expires = now + 3 * 86_400;
  const video_versions = isVideo
    ? [101, 102, 103].map((type, i) => ({ type, width: [720, 480, 480][i], height: [1280, 854, 854][i], url: instagramUrl(rng, mediaId, "mp4", "dst-mp4", expires), id: `${rng.int(10 ** 15, 10 ** 16 - 1)}v` }))
    : [];
  const widths = [1080, 750, 640, 480, 320, 240, 150];
  const candidates = fillList(budget - sizeOf(video_versions) - 60, (i) => {
    const width = widths[i % widths.length]!;
    return { width, height: Math.round((width * 16) / 9), url: instagramUrl(rng, mediaId, "jpg", `dst-jpg_e15_p${width}x${width}_tt6`, expires), scans_profile: `e${rng.int(10, 35)}` };
  });
  return { image_versions2: { candidates }, ...(isVideo ? { video_versions } : {}) };
}

// ---------------------------------------------------------------- YouTube

/** `thumbnails[]` of a search result, all its sizes on `i.ytimg.com`; `budget` bytes in all. */
export function youtubeThumbnails(seed: string, videoId: string, budget: number) {
  const rng = random(seed, "youtube-thumbnails", videoId);
  const sizes = [
    [168, 94, "hqdefault"],
    [196, 110, "hqdefault"],
    [246, 138, "hqdefault"],
    [336, 188, "hqdefault"],
    [360, 202, "hq720"],
    [720, 404, "hq720"],
  ] as const;
  const thumbnails = fillList(budget - 20, (i) => {
    const [width, height, name] = sizes[i % sizes.length]!;
    return { url: `https://i.ytimg.com/vi/${videoId}/${name}.jpg?sqp=${b64(rng, 60)}&rs=${b64(rng, 34)}`, width, height };
  });
  return { thumbnails };
}
