import { alnum, digits, random } from "./random.js";

/**
 * Creator keys are 31-bit integers. Handles and YouTube channel ids carry the key in base 36 at
 * their end, so a profile lookup of a handle seen in a search finds the very same creator.
 */
export const KEY_SPACE = 0x7fffffff;

const KEY_SUFFIX = /[._]([0-9a-z]{1,6})$/;

/** `base` + `_` or `.` + the key in base 36: `cozy.kitchen_k2j9x`. */
export function handleWithKey(base: string, separator: "." | "_", key: number): string {
  return `${base}${separator}${key.toString(36)}`;
}

/** The key a handle ends with, or `null` when it carries none. */
export function keyOfHandle(handle: string): number | null {
  const match = KEY_SUFFIX.exec(handle.toLowerCase());
  if (!match) return null;
  const key = Number.parseInt(match[1]!, 36);
  return Number.isSafeInteger(key) && key <= KEY_SPACE ? key : null;
}

/** A 24-character YouTube channel id: `UC`, 16 filler characters, the key in base 36. */
export function channelIdOf(seed: string, key: number): string {
  return `UC${alnum(random(seed, "channel-id", key), 16)}${key.toString(36).padStart(6, "0")}`;
}

/** The key inside a channel id made by {@link channelIdOf}, or `null`. */
export function keyOfChannelId(channelId: string): number | null {
  if (!/^UC[0-9A-Za-z_-]{22}$/.test(channelId)) return null;
  const key = Number.parseInt(channelId.slice(-6), 36);
  return Number.isSafeInteger(key) && key <= KEY_SPACE ? key : null;
}

/** A TikTok-style 19-digit numeric id (`aweme_id`, `uid`). */
export function tiktokId(seed: string, ...parts: (string | number)[]): string {
  return digits(random(seed, "tiktok-id", ...parts), 19, "7");
}

/** A TikTok `sec_uid`. */
export function secUid(seed: string, key: number): string {
  return `MS4wLjABAAAA${alnum(random(seed, "sec-uid", key), 52)}`;
}
