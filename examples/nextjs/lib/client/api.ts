/** Types of the SDK's HTTP answers, as the UI uses them. */
export type JobStatus = "pending" | "processing" | "completed" | "error" | "timeout" | "cancelled";
export type Platform = "tiktok" | "instagram" | "youtube";

export interface Campaign {
  id: string;
  name: string;
  description: string | null;
  searchType: "keyword" | "similar";
  createdAt: string;
}

export interface JobProgress {
  jobId: string;
  status: JobStatus;
  processedResults: number;
  targetResults: number;
  processedRuns: number;
  progress: number;
  stopReason: string | null;
  error: string | null;
}

export interface CampaignJob extends JobProgress {
  platform: Platform;
  keywords: string[];
  targetHandle: string | null;
  createdAt: string;
}

export interface CampaignWithJobs extends Campaign {
  jobs: CampaignJob[];
}

/** One creator in the blueprint's `{ creator, video, hashtags }` shape. */
export interface CreatorCard {
  creator: {
    id: string;
    handle: string;
    name: string;
    followers: number | null;
    avatarUrl: string | null;
    profileUrl: string | null;
    bio: string | null;
    verified: boolean | null;
    emails: string[];
  };
  video: {
    description: string | null;
    url: string | null;
    statistics: { likes: number | null; comments: number | null; shares: number | null; views: number | null };
  } | null;
  hashtags: string[];
  platform: Platform;
  keywords: string[];
  engagement: { byFollowers: number | null; byViews: number | null } | null;
  postsFound: number;
  seq: number;
}

export interface PollAnswer {
  status: JobStatus;
  processedResults: number;
  targetResults: number;
  processedRuns: number;
  progress: number;
  error: string | null;
  stopReason: string | null;
  results: { creators: CreatorCard[] }[];
  nextCursor: string | null;
  hasMore: boolean;
}

export const TERMINAL: readonly JobStatus[] = ["completed", "error", "timeout", "cancelled"];

/** An answer other than 2xx: the SDK's `{ error, issues: [{ field, reason }] }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues: { field: string; reason: string }[] = [],
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** Calls the app's `/api` route; signs the user out to `/signin` on 401. */
export async function api<T>(path: string, init: { method?: "GET" | "POST"; body?: unknown } = {}): Promise<T> {
  const res = await fetch(`/api${path}`, {
    method: init.method ?? "GET",
    headers: init.body === undefined ? {} : { "content-type": "application/json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    cache: "no-store",
  });
  const body = (await res.json().catch(() => null)) as { error?: string; issues?: { field: string; reason: string }[] } | null;
  if (res.status === 401 && typeof window !== "undefined") window.location.assign(`/signin?next=${encodeURIComponent(window.location.pathname)}`);
  if (!res.ok) throw new ApiError(res.status, body?.error ?? `Request failed (${res.status})`, body?.issues ?? []);
  return body as T;
}

/** The proxied URL of a CDN image (the browser never talks to the CDN). */
export const proxied = (url: string) => `/api/proxy/image?url=${encodeURIComponent(url)}`;

const compact = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });
/** `12.3K`, or an en dash when the platform hides the number. */
export const formatCount = (n: number | null | undefined) => (n === null || n === undefined ? "–" : compact.format(n));

export const PLATFORM_NAMES: Record<Platform, string> = { tiktok: "TikTok", instagram: "Instagram", youtube: "YouTube" };
