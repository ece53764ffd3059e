import { stringify } from "csv-stringify/sync";
import type { RosterEntry } from "../model/roster.js";

/** Columns of the roster CSV export, in order. */
export const ROSTER_CSV_COLUMNS = [
  "id",
  "platform",
  "handle",
  "name",
  "followers",
  "engagement_by_followers",
  "engagement_by_views",
  "verified",
  "emails",
  "profile_url",
  "status",
  "notes",
  "tags",
  "links",
  "linked",
  "found_by",
  "first_seen_at",
  "updated_at",
] as const;

/**
 * A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, carriage return first)
 * gets a leading `'`: notes and bios are typed by people, and exports are opened in Excel.
 */
function safeText(value: string | null): string | null {
  return value !== null && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

const rate = (value: number | null) => (value === null ? null : Number(value.toFixed(6)));

/** One roster entry as a CSV record (missing values are empty cells, never 0). */
export function toRosterCsvRecord(e: RosterEntry): (string | number | null)[] {
  return [
    e.id,
    e.platform,
    safeText(e.handle),
    safeText(e.name),
    e.followers,
    rate(e.engagement.byFollowers),
    rate(e.engagement.byViews),
    e.verified === null ? null : e.verified ? "true" : "false",
    e.emails.join("; "),
    e.profileUrl,
    e.status,
    safeText(e.notes),
    safeText(e.tags.join("; ")),
    e.links.map((l) => (l.handle ? `${l.platform}:@${l.handle}` : l.id ? `${l.platform}:${l.id}` : (l.url ?? l.platform))).join("; "),
    e.linked.map((l) => `${l.platform}:@${l.handle}`).join("; "),
    e.foundBy.map((s) => `${s.jobId} (${s.inputs.join(", ")})`).join("; "),
    e.firstSeenAt.toISOString(),
    e.updatedAt.toISOString(),
  ];
}

/** CSV text of a batch of roster entries, with the header row when `header`. */
export function toRosterCsvChunk(entries: readonly RosterEntry[], header: boolean): string {
  const records = entries.map(toRosterCsvRecord);
  return stringify(header ? [[...ROSTER_CSV_COLUMNS], ...records] : records);
}
