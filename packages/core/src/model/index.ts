export * from "./campaign.js";
export * from "./creator.js";
export * from "./job.js";
export * from "./merge.js";
export { computeEngagement, extractEmails } from "./metrics.js";
