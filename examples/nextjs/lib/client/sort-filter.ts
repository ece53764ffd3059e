import type { ApiCreator } from "./api";

export const SORT_KEYS = ["found", "followers", "engagement", "views"] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type ResultsView = "cards" | "table";

export interface CardFilters {
  /** `null`: no minimum. */
  minFollowers: number | null;
  /** Whether creators whose follower count is unknown stay in when a minimum is set. */
  unknownFollowers: boolean;
  withEmail: boolean;
  verifiedOnly: boolean;
  text: string;
}

export const NO_FILTERS: CardFilters = { minFollowers: null, unknownFollowers: true, withEmail: false, verifiedOnly: false, text: "" };

/** What the results page shows: sort, filters and view, all kept in its URL. */
export interface ResultsState {
  sort: SortKey;
  view: ResultsView;
  filters: CardFilters;
}

export const DEFAULT_STATE: ResultsState = { sort: "found", view: "cards", filters: NO_FILTERS };

/** The state a results URL's query names; anything unknown or malformed falls back to the default. */
export function stateFromQuery(query: URLSearchParams): ResultsState {
  const sort = query.get("sort");
  const min = query.get("min");
  const minFollowers = min !== null && /^\d{1,12}$/.test(min) ? Number(min) : null;
  return {
    sort: SORT_KEYS.includes(sort as SortKey) ? (sort as SortKey) : "found",
    view: query.get("view") === "table" ? "table" : "cards",
    filters: {
      minFollowers,
      unknownFollowers: query.get("unknown") !== "hide",
      withEmail: query.get("email") === "1",
      verifiedOnly: query.get("verified") === "1",
      text: (query.get("q") ?? "").slice(0, 200),
    },
  };
}

/** The query string of a state (defaults left out, so a fresh page has a clean URL). */
export function queryOfState(state: ResultsState): string {
  const q = new URLSearchParams();
  if (state.sort !== "found") q.set("sort", state.sort);
  if (state.view !== "cards") q.set("view", state.view);
  const f = state.filters;
  if (f.minFollowers !== null) q.set("min", String(f.minFollowers));
  if (f.minFollowers !== null && !f.unknownFollowers) q.set("unknown", "hide");
  if (f.withEmail) q.set("email", "1");
  if (f.verifiedOnly) q.set("verified", "1");
  if (f.text) q.set("q", f.text);
  return q.toString();
}

// Unknown numbers (hidden by the platform) sort last, never as 0.
const desc = (a: number | null | undefined, b: number | null | undefined) => (b ?? -1) - (a ?? -1);

export const engagementOf = (c: ApiCreator) => c.engagement?.byFollowers ?? c.engagement?.byViews ?? null;

const ORDER: Record<SortKey, (a: ApiCreator, b: ApiCreator) => number> = {
  found: (a, b) => a.seq - b.seq,
  followers: (a, b) => desc(a.creator.followers, b.creator.followers) || a.seq - b.seq,
  engagement: (a, b) => desc(engagementOf(a), engagementOf(b)) || a.seq - b.seq,
  views: (a, b) => desc(a.video?.statistics.views, b.video?.statistics.views) || a.seq - b.seq,
};

export interface Shown {
  items: ApiCreator[];
  /** Of `items`, those kept by a follower minimum only because their count is unknown. */
  unknownKept: number;
}

/** The creators loaded so far, filtered and sorted for display (nothing is re-downloaded). */
export function sortAndFilter(cards: readonly ApiCreator[], sort: SortKey, f: CardFilters): Shown {
  const text = f.text.trim().toLowerCase();
  let unknownKept = 0;
  const items = cards
    .filter((c) => {
      if (f.withEmail && c.creator.emails.length === 0) return false;
      if (f.verifiedOnly && c.creator.verified !== true) return false;
      if (
        text &&
        !(
          c.creator.handle.toLowerCase().includes(text) ||
          c.creator.name.toLowerCase().includes(text) ||
          (c.creator.bio ?? "").toLowerCase().includes(text) ||
          c.hashtags.some((h) => h.toLowerCase().includes(text))
        )
      ) {
        return false;
      }
      if (f.minFollowers !== null) {
        // An unknown count is not 0: it stays (and is counted as such) unless the user hides unknowns.
        if (c.creator.followers === null) {
          if (!f.unknownFollowers) return false;
          unknownKept++;
        } else if (c.creator.followers < f.minFollowers) return false;
      }
      return true;
    })
    .sort(ORDER[sort]);
  return { items, unknownKept };
}
