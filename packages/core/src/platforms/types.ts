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

export interface PageContext {
  job: SearchJob;
  chain: SearchChain;
  signal?: AbortSignal;
}

/**
 * A source of creators. `fetchPage` makes exactly one billed upstream call and returns the raw
 * body; `parsePage` is pure, so a stored raw page can be parsed again after a crash.
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
