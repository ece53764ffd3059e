import type { Creator } from "../model/creator.js";
import { type CreatorFilters, CreatorFiltersObject, hasFilters, matchesFilters } from "../model/filters.js";
import type { SearchJob } from "../model/job.js";

/** The filters a job was started with (`job.options.filters`), or `null` when it has none. */
export function filtersOf(job: SearchJob): CreatorFilters | null {
  const stored = job.options.filters;
  if (stored == null) return null;
  // Stored by `jobs.start` after validation; parsing again guards rows written by other versions.
  const parsed = CreatorFiltersObject.safeParse(stored);
  return parsed.success && hasFilters(parsed.data) ? parsed.data : null;
}

/**
 * The predicate storage applies to merged creators at commit time (`CommitPageRequest.accepts`),
 * or `undefined` when the job has no filters. `now` is the commit time: it anchors
 * `postedWithinDays`.
 */
export function acceptsOf(job: SearchJob, now: Date): ((creator: Creator) => boolean) | undefined {
  const filters = filtersOf(job);
  return filters ? (creator) => matchesFilters(creator, filters, now) : undefined;
}
