import type { ApiCreator } from "./api";

export type SortKey = "found" | "followers" | "engagement" | "views";

export interface CardFilters {
  minFollowers: number;
  withEmail: boolean;
  verifiedOnly: boolean;
  text: string;
}

export const NO_FILTERS: CardFilters = { minFollowers: 0, withEmail: false, verifiedOnly: false, text: "" };

// Unknown numbers (hidden by the platform) sort last, never as 0.
const desc = (a: number | null | undefined, b: number | null | undefined) => (b ?? -1) - (a ?? -1);

const ORDER: Record<SortKey, (a: ApiCreator, b: ApiCreator) => number> = {
  found: (a, b) => a.seq - b.seq,
  followers: (a, b) => desc(a.creator.followers, b.creator.followers),
  engagement: (a, b) => desc(a.engagement?.byFollowers ?? a.engagement?.byViews, b.engagement?.byFollowers ?? b.engagement?.byViews),
  views: (a, b) => desc(a.video?.statistics.views, b.video?.statistics.views),
};

/** The creators loaded so far, filtered and sorted for display (nothing is re-downloaded). */
export function sortAndFilter(cards: readonly ApiCreator[], sort: SortKey, f: CardFilters): ApiCreator[] {
  const text = f.text.trim().toLowerCase();
  return cards
    .filter(
      (c) =>
        (c.creator.followers ?? 0) >= f.minFollowers &&
        (!f.withEmail || c.creator.emails.length > 0) &&
        (!f.verifiedOnly || c.creator.verified === true) &&
        (!text ||
          c.creator.handle.toLowerCase().includes(text) ||
          c.creator.name.toLowerCase().includes(text) ||
          (c.creator.bio ?? "").toLowerCase().includes(text) ||
          c.hashtags.some((h) => h.toLowerCase().includes(text))),
    )
    .sort(ORDER[sort]);
}
