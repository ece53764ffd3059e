import type { ApiRosterEntry, ApiRosterFilters } from "./api";
import { platformName } from "./api";

export type RosterStatus = ApiRosterEntry["status"];

/** Every status with its label (a Record, so a status added to the API fails the typecheck here). */
export const STATUS_LABELS: Record<RosterStatus, string> = {
  new: "New",
  shortlisted: "Shortlisted",
  contacted: "Contacted",
  agreed: "Agreed",
  rejected: "Rejected",
};
export const STATUSES = Object.keys(STATUS_LABELS) as RosterStatus[];
const isStatus = (s: string | null): s is RosterStatus => s !== null && s in STATUS_LABELS;

/** The roster filters kept in the page's query string (`?status=&platform=&tag=&q=`). */
export function filtersFromQuery(query: URLSearchParams): ApiRosterFilters {
  const status = query.get("status");
  const filters: ApiRosterFilters = {};
  if (isStatus(status)) filters.status = status;
  for (const key of ["platform", "tag", "q"] as const) {
    const value = query.get(key)?.trim();
    if (value) filters[key] = value;
  }
  return filters;
}

/** The query string of `filters` (empty ones left out), without the `?`. */
export function queryOfFilters(filters: ApiRosterFilters): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (typeof value === "string" && value.trim()) query.set(key, value.trim());
  return query.toString();
}

/** Tags typed as `vegan, budget`: trimmed, de-duplicated, empty ones dropped. */
export const parseTags = (text: string) => [...new Set(text.split(",").map((t) => t.trim()).filter(Boolean))];

/**
 * The creator's other accounts as "also on" lines: entries of this campaign that are the same
 * person first (`inRoster`), then accounts the platform linked that the campaign does not have.
 */
export function alsoOn(entry: Pick<ApiRosterEntry, "platform" | "handle" | "links" | "linked">): { key: string; text: string; inRoster: boolean; url: string | null }[] {
  const key = (platform: string, handle: string) => `${platform}:${handle.toLowerCase()}`;
  const seen = new Set([key(entry.platform, entry.handle)]);
  const lines: { key: string; text: string; inRoster: boolean; url: string | null }[] = [];
  for (const l of entry.linked) {
    if (seen.has(key(l.platform, l.handle))) continue;
    seen.add(key(l.platform, l.handle));
    lines.push({ key: `linked:${l.id}`, text: `also on ${platformName(l.platform)} @${l.handle}`, inRoster: true, url: null });
  }
  for (const l of entry.links) {
    if (!l.handle || seen.has(key(l.platform, l.handle))) continue;
    seen.add(key(l.platform, l.handle));
    lines.push({ key: `link:${l.platform}:${l.handle}`, text: `also on ${platformName(l.platform)} @${l.handle}`, inRoster: false, url: l.url ?? null });
  }
  return lines;
}
