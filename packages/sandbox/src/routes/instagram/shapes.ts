import { isoOf } from "../../data/clock.js";
import { keyInNiche, nicheIndexOfKey, type Persona, personaOf } from "../../data/creator.js";
import type { CreatorPool } from "../../data/creator-pool.js";
import { instagramImage, instagramVideo } from "../../data/images.js";
import { instagramMedia, withMedia } from "../../data/media-padding.js";
import { CITIES } from "../../data/names.js";
import { digits, random, urlSafe } from "../../data/random.js";
import { hashtagOf } from "../../data/video.js";

/** Instagram's GraphQL-style objects, as ScrapeCreators passes them through. */

const PIC_SMALL = "dst-jpg_s150x150_tt6";
const PIC_HD = "dst-jpg_s320x320_tt6";

/** `profile_pic_url` (150 px) of a creator. */
export const profilePic = (seed: string, persona: Persona, now: number) => instagramImage(seed, `${persona.instagramId}p`, PIC_SMALL, now);

/** Instagram follower counts run a bit below TikTok's for the same creator. */
export const instagramFollowers = (persona: Persona) => Math.round(persona.followers * 0.6) + 37;

/** Related profiles: creators of the same niche, so "similar creators" walks stay on topic. */
export function relatedPersonas(seed: string, persona: Persona): Persona[] {
  const rng = random(seed, "related", persona.key);
  const niche = nicheIndexOfKey(persona.key);
  const count = rng.int(6, 12);
  const out: Persona[] = [];
  for (let i = 0; i < count; i++) out.push(personaOf(seed, keyInNiche(random(seed, "related", persona.key, i), niche)));
  return out;
}

/** A recent post node of `edge_owner_to_timeline_media`; `itemBytes` > 0 pads it with media renditions. */
function timelineNode(seed: string, persona: Persona, index: number, now: number, itemBytes: number) {
  const rng = random(seed, "ig-post", persona.key, index);
  const isReel = rng.chance(0.6);
  const id = digits(rng, 19, "3");
  const likes = Math.round(rng.logNormal(instagramFollowers(persona) * 0.04, 1));
  const tags = rng.sample(persona.niche.hashtags, 2).map((t) => `#${t}`).join(" ");
  const node = {
    id,
    shortcode: urlSafe(rng, 11),
    __typename: isReel ? "GraphVideo" : rng.chance(0.3) ? "GraphSidecar" : "GraphImage",
    is_video: isReel,
    product_type: isReel ? "clips" : "feed",
    ...(isReel ? { video_url: instagramVideo(seed, id, now), video_view_count: likes * rng.int(8, 30) } : {}),
    display_url: instagramImage(seed, id, "dst-jpg_e35_p1080x1080", now),
    thumbnail_src: instagramImage(seed, id, "c0.248.640.640a_dst-jpg_e15", now),
    dimensions: { height: isReel ? 1920 : 1080, width: 1080 },
    taken_at_timestamp: now - index * rng.int(86_400, 5 * 86_400) - rng.int(0, 86_400),
    edge_liked_by: { count: likes },
    edge_media_to_comment: { count: Math.round(likes * rng.next() * 0.05) },
    edge_media_to_caption: { edges: [{ node: { text: `${rng.pick(persona.niche.captions)} ${tags}` } }] },
  };
  return { node: withMedia(node, itemBytes, (budget) => instagramMedia(seed, id, isReel, now, budget)) };
}

/** `data.user` of `/v1/instagram/profile`; `postBytes` > 0 pads each recent post to about that size. */
export function instagramUser(seed: string, persona: Persona, now: number, postBytes = 0): Record<string, unknown> {
  const rng = random(seed, "ig-user", persona.key);
  const followers = instagramFollowers(persona);
  const posts = Math.round(persona.videoCount * 0.7) + 3;
  const city = rng.pick(CITIES);
  const edges = persona.isPrivate ? [] : Array.from({ length: 12 }, (_, i) => timelineNode(seed, persona, i, now, postBytes));
  return {
    id: persona.instagramId,
    username: persona.handle,
    full_name: persona.displayName,
    biography: persona.bio,
    external_url: persona.website,
    bio_links: persona.website
      ? [{ title: "Website", url: persona.website, lynx_url: `https://l.instagram.com/?u=${encodeURIComponent(persona.website)}&e=demo`, link_type: "external" }]
      : [],
    edge_followed_by: { count: followers },
    edge_follow: { count: persona.following },
    follower_count: followers,
    is_verified: persona.verified,
    is_private: persona.isPrivate,
    is_business_account: persona.isBusiness,
    is_professional_account: persona.isBusiness || rng.chance(0.5),
    category_name: persona.isBusiness ? persona.niche.category : null,
    business_category_name: persona.isBusiness ? "Creators & Celebrities" : null,
    business_email: persona.isBusiness ? persona.email : null,
    business_phone_number: null,
    // A JSON *string* in the full response, as upstream sends it.
    business_address_json: persona.isBusiness ? JSON.stringify({ city_name: city, street_address: null, zip_code: null }) : null,
    profile_pic_url: profilePic(seed, persona, now),
    profile_pic_url_hd: instagramImage(seed, `${persona.instagramId}p`, PIC_HD, now),
    fbid: digits(rng, 17, "1"),
    highlight_reel_count: rng.int(0, 20),
    hide_like_and_view_counts: rng.chance(0.05),
    edge_owner_to_timeline_media: {
      count: posts,
      page_info: { has_next_page: posts > edges.length, end_cursor: edges.length ? btoa(`${persona.key}:12`) : null },
      edges,
    },
    edge_felix_video_timeline: { count: 0, page_info: { has_next_page: false, end_cursor: null }, edges: [] },
    edge_saved_media: { count: 0, page_info: { has_next_page: false, end_cursor: null }, edges: [] },
    edge_media_collections: { count: 0, page_info: { has_next_page: false, end_cursor: null }, edges: [] },
    // Upstream omits related profiles for some accounts ("we are at their mercy").
    ...(persona.hasRelatedProfiles
      ? {
          edge_related_profiles: {
            edges: relatedPersonas(seed, persona).map((p) => ({
              node: { id: p.instagramId, username: p.handle, full_name: p.displayName, is_verified: p.verified, is_private: p.isPrivate, profile_pic_url: profilePic(seed, p, now) },
            })),
          },
        }
      : {}),
  };
}

/** An `owner` of a reel. */
function reelOwner(seed: string, persona: Persona, now: number) {
  return {
    id: persona.instagramId,
    username: persona.handle,
    full_name: persona.displayName,
    is_verified: persona.verified,
    is_private: false,
    follower_count: instagramFollowers(persona),
    post_count: Math.round(persona.videoCount * 0.7) + 3,
    profile_pic_url: profilePic(seed, persona, now),
  };
}

/** One reel of a reels search for `pool`'s query, at `position`; `itemBytes` > 0 pads it with media renditions. */
export function instagramReel(seed: string, pool: CreatorPool, position: number, now: number, itemBytes = 0): Record<string, unknown> {
  const rng = random(seed, "ig-reel", pool.query, position);
  const owner = pool.personaAt(rng.int(0, pool.size - 1));
  const id = digits(rng, 19, "3");
  const shortcode = urlSafe(rng, 11);
  const plays = Math.round(rng.logNormal(instagramFollowers(owner) * 0.8, 1.2));
  const likes = Math.round(plays * (0.01 + rng.next() * 0.08));
  const tags = [hashtagOf(pool.query), ...rng.sample(pool.niche.hashtags, 2)].map((t) => `#${t}`).join(" ");
  const reel = {
    id,
    __typename: "XDTGraphVideo",
    shortcode,
    url: `https://www.instagram.com/reel/${shortcode}/`,
    caption: `${rng.pick(pool.niche.captions)} ${tags}`,
    thumbnail_src: instagramImage(seed, id, "c0.248.640.640a_dst-jpg_e15_tt6", now),
    display_url: instagramImage(seed, id, "dst-jpg_e15_tt6", now),
    video_url: instagramVideo(seed, id, now),
    is_video: true,
    has_audio: true,
    product_type: "clips",
    video_duration: Math.round(rng.next() * 900 + 50) / 10,
    video_view_count: Math.round(plays * 0.4),
    video_play_count: plays,
    like_count: likes,
    comment_count: Math.round(likes * rng.next() * 0.05),
    // ISO here, unlike the unix `taken_at_timestamp` of profile nodes.
    taken_at: isoOf(now - rng.int(3_600, 365 * 86_400)),
    is_paid_partnership: rng.chance(0.04),
    location: null,
    clips_music_attribution_info: { artist_name: owner.handle, song_name: "Original audio", uses_original_audio: true, audio_id: digits(rng, 16, "1") },
    owner: reelOwner(seed, owner, now),
    comments: [],
  };
  return withMedia(reel, itemBytes, (budget) => instagramMedia(seed, id, true, now, budget));
}
