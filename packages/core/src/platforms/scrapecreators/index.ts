export { scrapeCreatorsClient, retriesWithinBudget, DEFAULT_BASE_URL } from "./client.js";
export type { CallOptions, ScrapeCreatorsClient, ScrapeCreatorsClientOptions, QueryParams } from "./client.js";
