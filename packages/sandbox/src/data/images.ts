import type { Persona } from "./creator.js";
import { alnum, random } from "./random.js";

/**
 * Image URLs on the real CDN hosts (so image-proxy allow-lists are exercised), signed-looking
 * and expiring like the real ones. They do not resolve: the sandbox serves JSON only.
 */

const TIKTOK_AVATAR_HOSTS = ["p16-sign-va.tiktokcdn.com", "p16-amd-va.tiktokcdn.com", "p16-common-sign.tiktokcdn-us.com", "p19-pu-sign-useast8.tiktokcdn-us.com"];
const TIKTOK_COVER_HOSTS = ["p16-sign.tiktokcdn-us.com", "p19-sign.tiktokcdn-us.com", "p16-sg.tiktokcdn.com"];
const INSTAGRAM_HOSTS = ["scontent-iad3-1.cdninstagram.com", "scontent-lax3-1.cdninstagram.com", "instagram.fsac1-1.fna.fbcdn.net", "scontent-lga3-2.cdninstagram.com"];

/** Expiry a few days after "now", as in the real signed URLs. */
const expiresAt = (now: number) => now + 3 * 86_400;

/** A TikTok `{ uri, url_list, width, height }` avatar. The first URL is `.heic` for some creators. */
export function tiktokAvatar(seed: string, persona: Persona, size: number, now: number) {
  const rng = random(seed, "tiktok-avatar", persona.key);
  const host = rng.pick(TIKTOK_AVATAR_HOSTS);
  const heicFirst = rng.chance(0.4);
  const uri = `tos-maliva-avt-0068/${persona.avatarId}`;
  const url = (ext: string) =>
    `https://${host}/${uri}~tplv-tiktokx-cropcenter:${size}:${size}.${ext}?dr=9607&x-expires=${expiresAt(now)}&x-signature=${alnum(rng, 27)}%3D&s=SEARCH&sc=avatar`;
  return { uri, url_list: heicFirst ? [url("heic"), url("jpeg")] : [url("webp"), url("jpeg")], width: size, height: size };
}

/** A TikTok profile avatar: a plain string (`avatarLarger` etc. on `/v1/tiktok/profile`). */
export function tiktokProfileAvatar(seed: string, persona: Persona, size: number, now: number): string {
  const rng = random(seed, "tiktok-profile-avatar", persona.key);
  return `https://p16-sign-va.tiktokcdn.com/tos-maliva-avt-0068/${persona.avatarId}~c5_${size}x${size}.jpeg?lk3s=a5d48078&x-expires=${expiresAt(now)}&x-signature=${alnum(rng, 27)}%3D`;
}

/** A TikTok video cover `{ url_list }`; `.heic` first for some videos. */
export function tiktokCover(seed: string, coverId: string, now: number) {
  const rng = random(seed, "tiktok-cover", coverId);
  const host = rng.pick(TIKTOK_COVER_HOSTS);
  const url = (ext: string) =>
    `https://${host}/tos-useast5-p-0068-tx/${coverId}~tplv-tiktokx-cropcenter:500:800.${ext}?x-expires=${expiresAt(now)}&x-signature=${alnum(rng, 27)}%3D`;
  return { uri: `tos-useast5-p-0068-tx/${coverId}`, url_list: rng.chance(0.3) ? [url("heic"), url("jpeg")] : [url("jpeg")], width: 500, height: 800 };
}

/** A TikTok video play address. */
export function tiktokPlayUrl(seed: string, videoId: string, now: number): string {
  const rng = random(seed, "tiktok-play", videoId);
  return `https://v16m.tiktokcdn-us.com/${alnum(rng, 32).toLowerCase()}/${(expiresAt(now)).toString(16)}/video/tos/useast5/${videoId}/?a=1233&bti=demo&mime_type=video_mp4`;
}

/** An Instagram CDN URL with `stp` size, `oh` signature and hex `oe` expiry. */
export function instagramImage(seed: string, id: string, variant: string, now: number): string {
  const rng = random(seed, "instagram-image", id);
  const host = rng.pick(INSTAGRAM_HOSTS);
  return `https://${host}/v/t51.2885-19/${id}_n.jpg?stp=${variant}&_nc_ht=${host}&oh=00_${alnum(rng, 24)}&oe=${expiresAt(now).toString(16).toUpperCase()}`;
}

/** An Instagram video URL. */
export function instagramVideo(seed: string, id: string, now: number): string {
  const rng = random(seed, "instagram-video", id);
  return `https://scontent-iad3-1.cdninstagram.com/o1/v/t2/f2/m86/${alnum(rng, 40)}.mp4?_nc_cat=103&oe=${expiresAt(now).toString(16).toUpperCase()}`;
}

/** A YouTube channel avatar in search results (`yt3.ggpht.com`, sometimes `http://`). */
export function youtubeSearchAvatar(seed: string, persona: Persona, size: number): string {
  const rng = random(seed, "youtube-avatar", persona.key);
  const scheme = rng.chance(0.3) ? "http" : "https";
  return `${scheme}://yt3.ggpht.com/${alnum(rng, 40)}=s${size}-c-k-c0x00ffffff-no-rj`;
}

/** A YouTube channel avatar on `/v1/youtube/channel` (`yt3.googleusercontent.com`). */
export function youtubeChannelAvatar(seed: string, persona: Persona, size: number): string {
  const rng = random(seed, "youtube-avatar", persona.key);
  return `https://yt3.googleusercontent.com/${alnum(rng, 40)}=s${size}-c-k-c0x00ffffff-no-rj`;
}

/** A YouTube video thumbnail on `i.ytimg.com`. */
export function youtubeThumbnail(seed: string, videoId: string): string {
  const rng = random(seed, "youtube-thumb", videoId);
  return `https://i.ytimg.com/vi/${videoId}/hq720.jpg?sqp=${alnum(rng, 40)}&rs=${alnum(rng, 30)}`;
}
