import { type ApiCampaignWithJobs, type ApiJobProgress, createApiClient } from "@creatorsearch/core/client";

/*
 * The browser's client of the app's `/api` route: the SDK's typed client (browser-safe, no server
 * code), so answers are typed from the schemas the server answers with rather than re-declared here.
 */
export { ApiError } from "@creatorsearch/core/client";
export type { ApiCampaign, ApiCampaignWithJobs, ApiCreator, ApiJobProgress, ApiRosterEntry, ApiRosterFilters, ApiRosterPage } from "@creatorsearch/core/client";

export type JobStatus = ApiJobProgress["status"];
/** A job of `GET /campaigns/:id` (progress plus what it searched). */
export type CampaignJob = ApiCampaignWithJobs["jobs"][number];
/** The platforms the app searches (the API takes any configured platform name). */
export type Platform = "tiktok" | "instagram" | "youtube";

export const TERMINAL: readonly JobStatus[] = ["completed", "error", "timeout", "cancelled"];

/** `fetch` that never caches and signs the user out to `/signin` on 401. */
const appFetch: typeof fetch = async (input, init) => {
  const res = await fetch(input, { ...init, cache: "no-store" });
  if (res.status === 401 && typeof window !== "undefined") window.location.assign(`/signin?next=${encodeURIComponent(window.location.pathname)}`);
  return res;
};

/** The app's API (the devAuth cookie travels with every same-origin request). */
export const api = createApiClient({ baseUrl: "/api", fetch: appFetch });

/** The proxied URL of a CDN image (the browser never talks to the CDN). */
export const proxied = (url: string) => `/api/proxy/image?url=${encodeURIComponent(url)}`;

const compact = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });
/** `12.3K`, or an en dash when the platform hides the number. */
export const formatCount = (n: number | null | undefined) => (n === null || n === undefined ? "–" : compact.format(n));

export const PLATFORM_NAMES: Record<Platform, string> = { tiktok: "TikTok", instagram: "Instagram", youtube: "YouTube" };
/** A platform's display name; an unknown one as the API spells it. */
export const platformName = (platform: string) => (platform in PLATFORM_NAMES ? PLATFORM_NAMES[platform as Platform] : platform);
