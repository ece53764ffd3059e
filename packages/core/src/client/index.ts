/**
 * `@creatorsearch/core/client`: a typed client of the HTTP API for browsers and Node (any runtime
 * with `fetch`). One method per route, typed from the schemas the server answers with; creators
 * page by page with `after=`; live progress as an async iterator over the event stream; every
 * non-2xx answer an {@link ApiError}. Holds no server code.
 *
 * @example
 * ```ts
 * import { createApiClient } from "@creatorsearch/core/client";
 *
 * const api = createApiClient({ baseUrl: "https://app.example.com/api", headers: () => ({ authorization: `Bearer ${token()}` }) });
 * const campaign = await api.campaigns.create({ name: "Fall soups" });
 * const { jobId } = await api.searches.start("tiktok", { campaignId: campaign.id, keywords: ["soup"], targetResults: 50 });
 * for await (const event of api.jobs.events(jobId)) console.log(event.type, event.progress.progress);
 * for await (const creator of api.searches.creators("tiktok", jobId)) console.log(creator.creator.handle);
 * ```
 *
 * @module @creatorsearch/core/client
 */
import { EventSourceParserStream } from "eventsource-parser/stream";
import { ApiError, apiErrorOf } from "./errors.js";
import type {
  ApiCampaign,
  ApiCampaignList,
  ApiCampaignWithJobs,
  ApiCreateCampaign,
  ApiCreator,
  ApiJobEvent,
  ApiJobProgress,
  ApiJobStarted,
  ApiPoll,
  ApiRosterEntry,
  ApiRosterFilters,
  ApiRosterPage,
  ApiRosterPatch,
  ApiRosterUpdate,
  ApiStartSearch,
} from "./types.js";

export { ApiError } from "./errors.js";
export type { ApiFieldIssue } from "./errors.js";
export type * from "./types.js";

/**
 * Request headers by name. (Not DOM's `HeadersInit`: a Node project without the DOM lib has no
 * such global type.)
 */
export type ApiHeaders = Record<string, string>;

/** Options of {@link createApiClient}. */
export interface ApiClientOptions {
  /** Where the API is mounted, e.g. `https://app.example.com/api` or `/api` in a browser. */
  baseUrl: string;
  /** Headers of every request (auth); a function is called per request, so a token can refresh. */
  headers?: ApiHeaders | (() => ApiHeaders | Promise<ApiHeaders>);
  /** The `fetch` to use; default the global one. */
  fetch?: typeof fetch;
}

/** The client {@link createApiClient} returns. */
export interface ApiClient {
  campaigns: {
    create(input: ApiCreateCampaign, init?: RequestOptions): Promise<ApiCampaign>;
    list(query?: { limit?: number; offset?: number; includeArchived?: boolean }, init?: RequestOptions): Promise<ApiCampaignList>;
    get(id: string, init?: RequestOptions): Promise<ApiCampaignWithJobs>;
    /** The campaign's roster: one entry per creator its jobs found, with the team's status, notes and tags. */
    creators: {
      list(campaignId: string, query?: ApiRosterFilters & { limit?: number; after?: string | null }, init?: RequestOptions): Promise<ApiRosterPage>;
      /** Every entry matching the filters, fetched page by page with `after=`. */
      all(campaignId: string, filters?: ApiRosterFilters, options?: { pageSize?: number } & RequestOptions): AsyncIterable<ApiRosterEntry>;
      get(campaignId: string, creatorId: string, init?: RequestOptions): Promise<ApiRosterEntry>;
      update(campaignId: string, creatorId: string, patch: ApiRosterPatch, init?: RequestOptions): Promise<ApiRosterEntry>;
      /** The same change on many entries; ids not on the roster come back in `notFound`. */
      updateMany(campaignId: string, ids: string[], patch: ApiRosterPatch, init?: RequestOptions): Promise<ApiRosterUpdate>;
      /** The roster as CSV or JSON text. */
      export(campaignId: string, query: ApiRosterFilters & { format: "csv" | "json" }, init?: RequestOptions): Promise<string>;
    };
  };
  searches: {
    /** Starts a search job on `platform` (`tiktok`, `instagram`, `youtube`). */
    start(platform: string, input: ApiStartSearch, init?: RequestOptions): Promise<ApiJobStarted>;
    /** Progress and creators: all of them, or with `after` those found since that cursor, `limit` at a time. */
    poll(platform: string, query: { jobId: string; after?: string | null; limit?: number }, init?: RequestOptions): Promise<ApiPoll>;
    /** Every creator found so far, fetched page by page with `after=` (bounded memory). */
    creators(platform: string, jobId: string, options?: { pageSize?: number } & RequestOptions): AsyncIterable<ApiCreator>;
  };
  jobs: {
    /** Progress events until the job ends (the last one has `type: "end"`); stops early on `signal`. */
    events(jobId: string, init?: RequestOptions): AsyncIterable<ApiJobEvent>;
    /** Every creator of the job as CSV text. */
    exportCsv(jobId: string, init?: RequestOptions): Promise<string>;
    cancel(jobId: string, init?: RequestOptions): Promise<ApiJobProgress>;
  };
}

/** Per-call options. */
export interface RequestOptions {
  signal?: AbortSignal;
}

/** Creates a client of the API at `baseUrl`; see {@link ApiClient}. */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const base = options.baseUrl.replace(/\/+$/, "");
  const fetcher = options.fetch ?? ((...args: Parameters<typeof fetch>) => globalThis.fetch(...args));

  async function send(method: string, path: string, { query, body, signal, accept }: SendOptions = {}): Promise<Response> {
    const search = query ? new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined)).toString() : "";
    const headers = new Headers(typeof options.headers === "function" ? await options.headers() : options.headers);
    headers.set("accept", accept ?? "application/json");
    if (body !== undefined) headers.set("content-type", "application/json");
    const response = await fetcher(`${base}${path}${search ? `?${search}` : ""}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(signal ? { signal } : {}),
    });
    if (!response.ok) throw await apiErrorOf(response);
    return response;
  }
  const json = async <T>(method: string, path: string, send_: SendOptions = {}): Promise<T> => (await send(method, path, send_)).json() as Promise<T>;
  const segment = encodeURIComponent;

  return {
    campaigns: {
      create: (input, init = {}) => json("POST", "/campaigns", { body: input, ...init }),
      list: (query = {}, init = {}) =>
        json("GET", "/campaigns", {
          query: {
            limit: query.limit?.toString(),
            offset: query.offset?.toString(),
            includeArchived: query.includeArchived === undefined ? undefined : String(query.includeArchived),
          },
          ...init,
        }),
      get: (id, init = {}) => json("GET", `/campaigns/${segment(id)}`, init),
      creators: {
        list: (campaignId, { limit, after, ...filters } = {}, init = {}) =>
          json("GET", `/campaigns/${segment(campaignId)}/creators`, { query: { ...filters, limit: limit?.toString(), after: after ?? undefined }, ...init }),
        async *all(campaignId, filters = {}, { pageSize = 200, ...init } = {}) {
          let after: string | undefined;
          for (;;) {
            const page: ApiRosterPage = await json("GET", `/campaigns/${segment(campaignId)}/creators`, { query: { ...filters, limit: String(pageSize), after }, ...init });
            yield* page.items;
            if (!page.hasMore || !page.nextCursor) return;
            after = page.nextCursor;
          }
        },
        get: (campaignId, creatorId, init = {}) => json("GET", `/campaigns/${segment(campaignId)}/creators/${segment(creatorId)}`, init),
        update: (campaignId, creatorId, patch, init = {}) =>
          json("PATCH", `/campaigns/${segment(campaignId)}/creators/${segment(creatorId)}`, { body: patch, ...init }),
        updateMany: (campaignId, ids, patch, init = {}) => json("PATCH", `/campaigns/${segment(campaignId)}/creators`, { body: { ...patch, ids }, ...init }),
        export: async (campaignId, { format, ...filters }, init = {}) =>
          (await send("GET", `/campaigns/${segment(campaignId)}/export`, { query: { ...filters, format }, accept: format === "csv" ? "text/csv" : "application/json", ...init })).text(),
      },
    },
    searches: {
      start: (platform, input, init = {}) => json("POST", `/scraping/${segment(platform)}`, { body: input, ...init }),
      poll: (platform, { jobId, after, limit }, init = {}) =>
        json("GET", `/scraping/${segment(platform)}`, { query: { jobId, after: after ?? undefined, limit: limit?.toString() }, ...init }),
      async *creators(platform, jobId, { pageSize = 100, ...init } = {}) {
        let after: string | null = "0";
        for (;;) {
          const page: ApiPoll = await json("GET", `/scraping/${segment(platform)}`, { query: { jobId, after, limit: String(pageSize) }, ...init });
          for (const result of page.results) yield* result.creators;
          after = page.nextCursor ?? after;
          if (!page.hasMore) return;
        }
      },
    },
    jobs: {
      async *events(jobId, init = {}) {
        const response = await send("GET", `/jobs/${segment(jobId)}/events`, { accept: "text/event-stream", ...init });
        if (!response.body) throw new ApiError(response.status, "The event stream has no body");
        const events = response.body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream());
        const reader = events.getReader();
        try {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) return;
            if (value.event !== "progress" && value.event !== "end") continue;
            const event: ApiJobEvent = { type: value.event, progress: JSON.parse(value.data) as ApiJobProgress };
            yield event;
            if (event.type === "end") return;
          }
        } finally {
          await reader.cancel().catch(() => undefined); // closes the connection when the caller stops early
        }
      },
      exportCsv: async (jobId, init = {}) => (await send("GET", `/jobs/${segment(jobId)}/export.csv`, { accept: "text/csv", ...init })).text(),
      cancel: (jobId, init = {}) => json("POST", `/jobs/${segment(jobId)}/cancel`, init),
    },
  };
}

interface SendOptions {
  query?: Record<string, string | undefined>;
  body?: unknown;
  signal?: AbortSignal;
  accept?: string;
}
