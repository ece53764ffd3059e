import { channelIdOf, handleWithKey, KEY_SPACE, keyOfHandle, secUid, tiktokId } from "./ids.js";
import { EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES, LOCALES, type Locale } from "./names.js";
import { NICHES, type Niche } from "./niches.js";
import { digits, random, type Random } from "./random.js";

/**
 * A platform-neutral person. Platform shapes (TikTok author, IG user, YouTube channel) are
 * rendered from it, so the same creator looks consistent on every endpoint.
 */
export interface Persona {
  key: number;
  niche: Niche;
  handle: string;
  firstName: string;
  displayName: string;
  /** Bio; sometimes holds a contact email. */
  bio: string;
  email: string | null;
  website: string | null;
  followers: number;
  following: number;
  likes: number;
  videoCount: number;
  verified: boolean;
  isPrivate: boolean;
  isBusiness: boolean;
  locale: Locale;
  /** Account creation, unix seconds. */
  createdAt: number;
  /** Numeric ids used by TikTok (`uid`) and Instagram (`id`). */
  tiktokUid: string;
  secUid: string;
  instagramId: string;
  youtubeChannelId: string;
  /** Stable image id used in avatar URLs. */
  avatarId: string;
  /** `true` when TikTok search items carry this creator's `signature` (it is usually absent). */
  signatureInSearch: boolean;
  /** `true` when the IG profile lists related profiles (the real API omits them for some accounts). */
  hasRelatedProfiles: boolean;
}

/** Niche index of a key: related profiles keep the niche by choosing keys with the same residue. */
export function nicheIndexOfKey(key: number): number {
  return key % NICHES.length;
}

/** A key in `niche` drawn from `rng`. */
export function keyInNiche(rng: Random, nicheIndex: number): number {
  const base = rng.int(NICHES.length, KEY_SPACE - NICHES.length);
  return base - (base % NICHES.length) + nicheIndex;
}

function pickLocale(rng: Random): Locale {
  const total = LOCALES.reduce((sum, l) => sum + l.weight, 0);
  let roll = rng.next() * total;
  for (const locale of LOCALES) {
    roll -= locale.weight;
    if (roll < 0) return locale;
  }
  return LOCALES[0];
}

const SLUG = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, "");

/** The creator behind `key`; `handle` overrides the generated one (profiles of arbitrary handles). */
export function personaOf(seed: string, key: number, handle?: string): Persona {
  const rng = random(seed, "persona", key);
  const niche = NICHES[nicheIndexOfKey(key)]!;
  const firstName = rng.pick(FIRST_NAMES);
  const lastName = rng.pick(LAST_NAMES);
  const [w1, w2] = rng.sample(niche.handleWords, 2) as [string, string];
  const style = rng.int(0, 3);
  const base = [`${w1}${w2}`, `${SLUG(firstName)}.${w1}`, `${w1}with${SLUG(firstName)}`, `the${w1}${w2}`][style]!;
  const generatedHandle = handleWithKey(base, rng.chance(0.5) ? "." : "_", key);
  const displayName = rng.chance(0.5) ? `${firstName} ${lastName}` : `${firstName} | ${w1[0]!.toUpperCase()}${w1.slice(1)} ${w2}`;

  // Follower counts are heavy-tailed: most creators are small, a few are huge.
  const followers = Math.min(rng.logNormal(25_000, 1.8), 90_000_000);
  const verified = followers > 1_000_000 ? rng.chance(0.6) : rng.chance(0.02);
  const hasEmail = rng.chance(0.4);
  const emailUser = rng.pick([SLUG(firstName), `${SLUG(firstName)}.${SLUG(lastName)}`, "hello", "collabs", "business"]);
  const email = hasEmail ? `${emailUser}@${rng.pick(EMAIL_DOMAINS)}` : null;
  const bioLine = rng.pick(niche.bios).replace("{n}", String(rng.int(2, 60)));
  const website = rng.chance(0.35) ? `https://${SLUG(base)}.example` : null;
  const bioParts = [bioLine];
  if (email) bioParts.push(rng.pick([`📩 ${email}`, `biz: ${email}`, `Collabs: ${email}`, `Contact ${email}`]));
  if (website && rng.chance(0.5)) bioParts.push(website.replace("https://", ""));

  return {
    key,
    niche,
    handle: handle ?? generatedHandle,
    firstName,
    displayName,
    bio: bioParts.join("\n"),
    email,
    website,
    followers,
    following: rng.int(20, 2500),
    likes: followers * rng.int(4, 40),
    videoCount: rng.int(12, 1800),
    verified,
    isPrivate: rng.chance(0.02),
    isBusiness: rng.chance(0.45),
    locale: pickLocale(rng),
    createdAt: 1_500_000_000 + rng.int(0, 250_000_000),
    // The key in the last 10 digits lets `/v1/tiktok/profile?user_id=` find the same creator.
    tiktokUid: `${tiktokId(seed, "uid", key).replace(/^7/, "6").slice(0, 9)}${String(key).padStart(10, "0")}`,
    secUid: secUid(seed, key),
    instagramId: digits(rng, rng.int(9, 11)),
    youtubeChannelId: channelIdOf(seed, key),
    avatarId: `${rng.int(1e6, 9e6)}${rng.uint32().toString(16)}`,
    signatureInSearch: rng.chance(0.25),
    hasRelatedProfiles: rng.chance(0.8),
  };
}

/** The creator whose TikTok `uid` this is; one made up for it when the sandbox did not issue it. */
export function personaOfTiktokUid(seed: string, uid: string): Persona | null {
  if (!/^\d{5,25}$/.test(uid)) return null;
  if (uid.length === 19) {
    const persona = personaOf(seed, Number(uid.slice(9)) & KEY_SPACE);
    if (persona.tiktokUid === uid) return persona;
  }
  return { ...personaOf(seed, stableKeyOf(uid)), tiktokUid: uid };
}

/** A key derived from any text: creators invented for unknown handles and ids. */
function stableKeyOf(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) >>> 0;
  return hash & KEY_SPACE;
}

/** Handles starting with these are never found: an easy way to exercise not-found paths. */
export const MISSING_HANDLE_PREFIXES = ["notfound", "doesnotexist", "missing_"] as const;

/**
 * The creator a handle names: the generated one when the handle carries a key and matches it,
 * a creator made up for this handle otherwise (any handle works, so demos can look up real-world
 * handles), `null` for handles starting with one of {@link MISSING_HANDLE_PREFIXES}.
 */
export function personaOfHandle(seed: string, rawHandle: string): Persona | null {
  const handle = rawHandle.trim().replace(/^@/, "");
  const lower = handle.toLowerCase();
  if (!handle || MISSING_HANDLE_PREFIXES.some((p) => lower.startsWith(p))) return null;
  const key = keyOfHandle(handle);
  if (key !== null) {
    const persona = personaOf(seed, key);
    if (persona.handle.toLowerCase() === lower) return persona;
  }
  // Not a generated handle: invent someone stable for it.
  return personaOf(seed, stableKeyOf(lower), handle);
}
