import type { Creator } from "../model/creator.js";
import type { SearchChain, SearchJob, SearchMode } from "../model/job.js";

/** A chain to create when a job starts. */
export interface ChainSeed {
  /** Unique within the job; letters, digits, `-` and `_` only (it ends up in queue ids). */
  key: string;
  /** What the chain searches: a keyword, a handle. */
  input: string;
}

/** What a job asks a platform for. */
export interface SearchRequest {
  mode: SearchMode;
  keywords: string[];
  targetHandle: string | null;
}

/** A page, parsed and normalized. */
export interface PlatformPage {
  /** Creators on the page, one per creator id (many posts of one author merged). */
  creators: Creator[];
  /** Cursor of the next page, or `null` at the end. */
  nextCursor: string | null;
  /** `false` when the chain has no further page. */
  hasMore: boolean;
}

/** What `fetchPage` and `parsePage` know about the step they serve. */
export interface PageContext {
  job: SearchJob;
  /** The chain as claimed: `cursor` and `step` are the values before this step commits. */
  chain: SearchChain;
  signal?: AbortSignal;
  /**
   * Asks the job's API-call budget for up to `count` further upstream calls in this step
   * (enrichment, e.g. one channel lookup per creator of the page); resolves with how many were
   * granted, each already counted in `job.apiCalls`. The engine always passes it; when absent
   * (an adapter called outside a job), treat it as "no extra calls": an adapter must never
   * make an upstream call it was not granted.
   */
  reserveApiCalls?: (count: number) => Promise<number>;
}

/**
 * A source of creators. `fetchPage` makes one billed upstream call (plus the extra calls
 * `reserveApiCalls` granted it, e.g. enrichment) and returns everything it fetched as one raw
 * value, which the engine stores before processing; `parsePage` is pure, so a stored raw page
 * can be parsed again after a crash and gives the same creators and cursor.
 *
 * A chain's whole state is its `cursor` string: a search page number or token, or, for walks
 * such as Instagram's related-profile breadth-first search, a serialized queue of what to visit
 * next. Keeping it in the cursor keeps every step idempotent per `(jobId, chain, step)`.
 */
export interface PlatformAdapter {
  /** Stable id, e.g. `"tiktok"`; used in routes, CLI flags and stored rows. */
  readonly id: string;
  /** Human name, e.g. `"TikTok"`. */
  readonly name: string;
  /** Search modes the platform supports. */
  readonly modes: readonly SearchMode[];
  /** The chains a job starts with. Throws `ValidationError` for input the platform refuses. */
  planChains(request: SearchRequest): ChainSeed[];
  /** Fetches the raw page for the chain's current cursor (one upstream call). */
  fetchPage(context: PageContext): Promise<unknown>;
  /** Parses a raw page; throws `UpstreamShapeError` naming the field when the shape changed. */
  parsePage(raw: unknown, context: PageContext): PlatformPage;
}
