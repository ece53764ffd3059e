import type { PlatformAdapter, SearchRequest } from "@creatorsearch/core";

/** Where the suite's fake upstream listens, for {@link PlatformHarness.create}. */
export interface UpstreamConnection {
  /** Base URL of the fake upstream (a real local HTTP server), e.g. `http://127.0.0.1:53121`. */
  baseUrl: string;
  /** The API key the fake upstream accepts. */
  apiKey: string;
}

/**
 * Answers one upstream request with a recorded-shape response: the `@creatorsearch/sandbox`
 * (the default), recorded fixtures, or a scripted graph.
 */
export type UpstreamResponder = (request: Request) => Response | Promise<Response>;

/** A change to a JSON body the adapter must notice, and the field path its error must name. */
export interface ShapeChange {
  mutate(body: unknown): unknown;
  /** Dotted path the `UpstreamShapeError` message must contain, e.g. `search_item_list.0.author`. */
  field: string;
}

/** What {@link platformConformanceSuite} needs to know about one adapter and one search mode. */
export interface PlatformHarness {
  /**
   * A fresh adapter calling `connection`. Turn the client's own retries off (`retries: 0`) so
   * a 500 surfaces at once.
   */
  create(connection: UpstreamConnection): PlatformAdapter;
  /** The search to run, e.g. `{ mode: "keyword", keywords: ["sourdough"], targetHandle: null }`. */
  request: SearchRequest;
  /**
   * The recorded-shape upstream. Default: a sandbox with `resultsPerQuery: 60`. It must let the
   * search reach its end within `maxPages` pages, and its first page must hold creators.
   */
  respond?: UpstreamResponder;
  /**
   * The first page with every item's optional fields removed, follower counts included:
   * the adapter must still parse it and report `null` (never 0) for what is missing.
   */
  stripOptional(body: unknown): unknown;
  /** The first page with its items repeated: the adapter must return each creator once. */
  duplicate(body: unknown): unknown;
  /** A change of the first page's shape (a renamed or retyped field). */
  changeShape: ShapeChange;
  /** Most pages a chain may take to its end (guards against a cursor that never ends). Default 30. */
  maxPages?: number;
}
