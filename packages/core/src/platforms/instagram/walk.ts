import { UpstreamShapeError } from "../../errors.js";

/**
 * The state of a related-profiles walk, kept in the chain cursor so each step stays idempotent:
 * `next` is the breadth-first queue of handles still to visit, `visited` the handles already
 * fetched (the seed first). Both are lower-cased.
 */
export interface RelatedWalk {
  next: string[];
  visited: string[];
}

/**
 * Handles waiting in the queue at most. A step adds about 10 to 30, and a job's budget rarely
 * allows visiting more than a few hundred, so older entries beyond this are never reached anyway;
 * it keeps the cursor (rewritten every step) small.
 */
export const MAX_WALK_QUEUE = 500;

/** The walk a `similar` chain starts with: the seed handle is the first profile to visit. */
export function startWalk(seed: string): RelatedWalk {
  return { next: [seed], visited: [] };
}

/** Reads a walk from a chain cursor (`null` before the first step). */
export function decodeWalk(cursor: string | null, seed: string): RelatedWalk {
  if (cursor === null) return startWalk(seed);
  try {
    const walk = JSON.parse(cursor) as RelatedWalk;
    if (Array.isArray(walk.next) && Array.isArray(walk.visited)) return walk;
  } catch {
    // fall through
  }
  throw new UpstreamShapeError("instagram related-profiles walk", [{ field: "cursor", reason: "is not a walk state written by this adapter" }]);
}

/** Serializes a walk into a chain cursor. */
export function encodeWalk(walk: RelatedWalk): string {
  return JSON.stringify(walk);
}

/**
 * The walk after visiting its head: the head moves to `visited`, and each `found` handle not
 * visited nor queued yet joins the end of the queue (breadth-first), up to {@link MAX_WALK_QUEUE}.
 */
export function advanceWalk(walk: RelatedWalk, found: readonly string[]): RelatedWalk {
  const [head, ...rest] = walk.next;
  const visited = head === undefined ? walk.visited : [...walk.visited, head];
  const known = new Set([...visited, ...rest]);
  const next = [...rest];
  for (const raw of found) {
    const handle = raw.toLowerCase();
    if (known.has(handle) || next.length >= MAX_WALK_QUEUE) continue;
    known.add(handle);
    next.push(handle);
  }
  return { next, visited };
}
