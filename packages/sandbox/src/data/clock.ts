/**
 * The sandbox's "now" (unix seconds). Fixed by default so responses are byte-identical from one
 * day to the next; pass `now` to the sandbox to move it.
 */
export const DEFAULT_NOW = Date.UTC(2026, 8, 1) / 1000;

const DAY = 86_400;

/** Window of TikTok's `date_posted` values, in seconds. Unknown values mean all time. */
export function datePostedWindow(value: string | null): number {
  switch (value) {
    case "yesterday":
      return DAY;
    case "this-week":
      return 7 * DAY;
    case "this-month":
      return 30 * DAY;
    case "last-3-months":
      return 90 * DAY;
    case "last-6-months":
      return 180 * DAY;
    default:
      return 3 * 365 * DAY;
  }
}

/** "3 weeks ago"-style text of an age in seconds (YouTube `publishedTimeText`). */
export function relativeTime(ageSeconds: number): string {
  const units: [string, number][] = [
    ["year", 365 * DAY],
    ["month", 30 * DAY],
    ["week", 7 * DAY],
    ["day", DAY],
    ["hour", 3600],
    ["minute", 60],
  ];
  for (const [name, size] of units) {
    const n = Math.floor(ageSeconds / size);
    if (n >= 1) return `${n} ${name}${n === 1 ? "" : "s"} ago`;
  }
  return "just now";
}

/** ISO string of unix seconds. */
export const isoOf = (seconds: number) => new Date(seconds * 1000).toISOString();
