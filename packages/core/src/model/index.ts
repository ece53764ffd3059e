export * from "./campaign.js";
export * from "./creator.js";
export * from "./job.js";
export * from "./merge.js";
export { computeEngagement, averageViews, engagementRateOf } from "./metrics.js";
export { extractEmails, emailsOf } from "./emails.js";
export {
  CreatorFiltersSchema,
  FILTER_KEYS,
  hasFilters,
  failedFilters,
  matchesFilters,
} from "./filters.js";
export type { CreatorFilters } from "./filters.js";
export * from "./roster.js";
