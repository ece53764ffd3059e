import type { Route } from "../router.js";
import { createCampaign, getCampaign, listCampaigns } from "./campaigns.js";
import { cancelJob, exportCsv, jobEvents } from "./jobs.js";
import { exportRoster, getRosterEntry, listRoster, updateRosterEntries, updateRosterEntry } from "./roster.js";
import { pollScraping, startScraping } from "./scraping.js";
import { processScraping, proxyImage } from "./webhooks.js";

/** The API's routes, relative to the base path (the OpenAPI document's own route aside). */
export const API_ROUTES: readonly Route[] = [
  createCampaign,
  listCampaigns,
  getCampaign,
  listRoster,
  updateRosterEntries,
  getRosterEntry,
  updateRosterEntry,
  exportRoster,
  startScraping,
  pollScraping,
  jobEvents,
  exportCsv,
  cancelJob,
  processScraping,
  proxyImage,
];
