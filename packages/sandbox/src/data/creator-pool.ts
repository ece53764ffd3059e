import { keyInNiche, type Persona, personaOf } from "./creator.js";
import { NICHES, type Niche, nicheOfQuery } from "./niches.js";
import { hashString, random } from "./random.js";

/** Average videos per creator in a query's results: some authors show up several times. */
export const VIDEOS_PER_CREATOR = 1.5;

/** Creators popular across queries of one niche: they make different searches overlap a little. */
const SHARED_PER_NICHE = 150;
const SHARED_SHARE = 0.12;

/** `"  Home   Cooking "` and `"home cooking"` are the same search. */
export function normalizeQuery(query: string): string {
  return query.trim().toLowerCase().replace(/\s+/g, " ");
}

/**
 * The creators a query can find: `size` slots, each a stable creator. Slots are computed on
 * demand, so a pool of millions costs nothing until a slot is read.
 */
export interface CreatorPool {
  readonly query: string;
  readonly niche: Niche;
  readonly size: number;
  /** The creator in `slot` (0-based, taken modulo the size). */
  keyAt(slot: number): number;
  personaAt(slot: number): Persona;
}

/** The pool of `query` sized for `results` items. */
export function creatorPool(seed: string, rawQuery: string, results: number): CreatorPool {
  const query = normalizeQuery(rawQuery);
  const niche = nicheOfQuery(query, hashString(`${seed}:${query}`));
  const nicheIndex = NICHES.indexOf(niche);
  const size = Math.max(10, Math.ceil(results / VIDEOS_PER_CREATOR));
  const keyAt = (slot: number): number => {
    const rng = random(seed, "pool", query, ((slot % size) + size) % size);
    // Mostly on-topic creators, a few from other niches: real search is not that tidy.
    const niche = rng.chance(0.85) ? nicheIndex : rng.int(0, NICHES.length - 1);
    if (rng.chance(SHARED_SHARE)) return keyInNiche(random(seed, "shared", niche, rng.int(0, SHARED_PER_NICHE - 1)), niche);
    return keyInNiche(rng, niche);
  };
  return { query, niche, size, keyAt, personaAt: (slot) => personaOf(seed, keyAt(slot)) };
}
