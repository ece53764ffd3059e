/**
 * Seeded randomness. Every generated value is a pure function of (seed, what, which), so any
 * item of any page can be produced on its own, in any order, without materialising the rest.
 */

/** A 32-bit FNV-1a hash of a string. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: a tiny, fast PRNG with good enough statistics for fake data. */
export function mulberry32(state: number): () => number {
  let a = state >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A small random toolkit over one PRNG stream. */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max]. */
  int(min: number, max: number): number;
  /** `true` with probability `p`. */
  chance(p: number): boolean;
  /** One element of a non-empty list. */
  pick<T>(list: readonly T[]): T;
  /** `count` distinct elements (or all of them when the list is shorter). */
  sample<T>(list: readonly T[], count: number): T[];
  /** A heavy-tailed positive integer around `median` (log-normal): follower counts, views. */
  logNormal(median: number, spread: number): number;
  /** A 32-bit unsigned integer. */
  uint32(): number;
}

/**
 * The toolkit over one mulberry32 state. A class, not closures: the sandbox creates one per
 * generated value (thousands per page), so creating it must cost no more than an object.
 */
class SeededRandom implements Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    // The same steps as mulberry32(), so a seed yields the same values either way.
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)]!;
  }

  sample<T>(list: readonly T[], count: number): T[] {
    const copy = [...list];
    const out: T[] = [];
    while (out.length < count && copy.length > 0) out.push(copy.splice(Math.floor(this.next() * copy.length), 1)[0]!);
    return out;
  }

  logNormal(median: number, spread: number): number {
    // Box-Muller; 1 - next() keeps the log argument away from 0.
    const z = Math.sqrt(-2 * Math.log(1 - this.next())) * Math.cos(2 * Math.PI * this.next());
    return Math.max(1, Math.round(median * Math.exp(z * spread)));
  }

  uint32(): number {
    return Math.floor(this.next() * 4294967296) >>> 0;
  }
}

/** A PRNG seeded from the joined `parts` (e.g. `random(seed, "creator", key)`). */
export function random(...parts: (string | number)[]): Random {
  return new SeededRandom(hashString(parts.join("\u241f")));
}

/** A digit string of exactly `length` digits that does not start with 0 (TikTok / IG ids). */
export function digits(rng: Random, length: number, prefix = ""): string {
  let out = prefix || String(rng.int(1, 9));
  while (out.length < length) out += String(rng.int(0, 9));
  return out.slice(0, length);
}

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const URL_SAFE = `${ALNUM}-_`;

/** Random letters and digits (signatures, tokens). */
export function alnum(rng: Random, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += ALNUM[rng.int(0, ALNUM.length - 1)];
  return out;
}

/** Random base64url characters (YouTube video ids, IG shortcodes). */
export function urlSafe(rng: Random, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += URL_SAFE[rng.int(0, URL_SAFE.length - 1)];
  return out;
}
