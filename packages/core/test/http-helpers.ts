import { type CreatorSearch, type HttpOptions, type StorageAdapter, createCreatorSearch, devAuth, memoryQueue, memoryStorage } from "../src/index.js";
import { contractViolation } from "./contract.js";
import { scriptedPlatform } from "./helpers.js";

export const ORIGIN = "http://app.test";

/** An instance with the HTTP layer on: devAuth (x-user-id), a scripted platform, memory storage and queue. */
export function httpInstance(http: Partial<HttpOptions> = {}, pages: Record<string, string[][]> = {}, storage: StorageAdapter = memoryStorage()) {
  const { platform, fetches } = scriptedPlatform(pages);
  const cs = createCreatorSearch({
    storage,
    queue: memoryQueue({ concurrency: 2 }),
    platforms: [platform],
    recoverIntervalMs: 0,
    http: { authenticate: devAuth(), events: { pollMs: 50, heartbeatMs: 1000 }, ...http },
  });
  return { cs, fetches, call: caller(cs, http.basePath) };
}

export interface CallOptions {
  user?: string | null;
  body?: unknown;
  rawBody?: BodyInit;
  headers?: Record<string, string>;
}

/**
 * Calls `cs.handler` like a client: JSON body, `x-user-id` header (`user: null` sends none).
 * Every answer is checked against the OpenAPI document of routes under `basePath`.
 */
export function caller(cs: CreatorSearch, basePath = "/api") {
  return async (method: string, path: string, options: CallOptions = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    const user = options.user === undefined ? "alice" : options.user;
    if (user) headers["x-user-id"] = user;
    let body: BodyInit | undefined = options.rawBody;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers["content-type"] ??= "application/json";
    }
    const response = await cs.handler(new Request(`${ORIGIN}${path}`, { method, headers, ...(body === undefined ? {} : { body }) }));
    const text = await response.text();
    // Every answer a test sees must be one the OpenAPI document describes.
    const violation = contractViolation(basePath, method, `${ORIGIN}${path}`, response.status, response.headers.get("content-type"), text);
    if (violation) throw new Error(`contract: ${violation}`);
    let json: any = null;
    try {
      json = JSON.parse(text);
    } catch {
      // not JSON (CSV, SSE)
    }
    return { status: response.status, headers: response.headers, text, json };
  };
}

/** Creates a campaign and a job for `user` over HTTP and waits for the job to end. */
export async function finishedJob(cs: CreatorSearch, user: string, body: Record<string, unknown> = { keywords: ["soup"], targetResults: 12 }) {
  const call = caller(cs);
  const campaign = await call("POST", "/api/campaigns", { user, body: { name: `${user}'s campaign` } });
  const started = await call("POST", "/api/scraping/scripted", { user, body: { campaignId: campaign.json.id, ...body } });
  if (started.status !== 202) throw new Error(`start failed: ${started.text}`);
  const job = await cs.jobs.wait(user, started.json.jobId, { timeoutMs: 10_000 });
  return { campaignId: campaign.json.id as string, jobId: job.id };
}
