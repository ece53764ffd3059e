export { scrapeCreatorsClient, DEFAULT_BASE_URL } from "./client.js";
export type { ScrapeCreatorsClient, ScrapeCreatorsClientOptions, QueryParams } from "./client.js";
