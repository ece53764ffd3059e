import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiErrorOf } from "../src/client/errors.js";
import { ApiError, type ApiJobEvent, createApiClient } from "../src/client/index.js";
import { toNodeHandler } from "../src/http/node.js";
import { type CreatorSearch, createCreatorSearch, devAuth, memoryQueue, memoryStorage } from "../src/index.js";
import { contractViolation } from "./contract.js";
import { scriptedPlatform } from "./helpers.js";

// The client against a real HTTP server on loopback: every answer it gets is also checked against the OpenAPI document.
let cs: CreatorSearch;
let server: Server;
let baseUrl: string;
const violations: string[] = [];

const checkedFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  if (!response.headers.get("content-type")?.startsWith("text/event-stream")) {
    const text = await response.clone().text();
    const violation = contractViolation("/api", init?.method ?? "GET", url, response.status, response.headers.get("content-type"), text);
    if (violation) violations.push(violation);
  }
  return response;
};
const client = (user: string | null = "alice") =>
  createApiClient({ baseUrl, fetch: checkedFetch, headers: (): Record<string, string> => (user ? { "x-user-id": user } : {}) });

beforeAll(async () => {
  const { platform } = scriptedPlatform();
  cs = createCreatorSearch({
    storage: memoryStorage(),
    queue: memoryQueue({ concurrency: 2 }),
    platforms: [platform],
    recoverIntervalMs: 0,
    http: { authenticate: devAuth(), events: { pollMs: 50, heartbeatMs: 1000 } },
  });
  server = createServer(toNodeHandler(cs.handler));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await cs.close();
  expect(violations).toEqual([]);
});

describe("createApiClient against a real server", () => {
  it("runs a search end to end: campaign, start, live events, every creator page by page, CSV", async () => {
    const api = client();
    const campaign = await api.campaigns.create({ name: "Soups" });
    expect(campaign).toMatchObject({ name: "Soups", status: "draft", userId: "alice" });
    expect((await api.campaigns.list()).campaigns.map((c) => c.id)).toContain(campaign.id);

    const { jobId } = await api.searches.start("scripted", { campaignId: campaign.id, keywords: ["soup", "bread"], targetResults: 23 });
    const events: ApiJobEvent[] = [];
    for await (const event of api.jobs.events(jobId)) events.push(event);
    expect(events.at(-1)).toMatchObject({ type: "end", progress: { jobId, status: "completed" } });
    expect(events.slice(0, -1).every((e) => e.type === "progress")).toBe(true);

    const creators = [];
    for await (const creator of api.searches.creators("scripted", jobId, { pageSize: 7 })) creators.push(creator);
    const final = events.at(-1)!.progress;
    expect(creators).toHaveLength(final.processedResults);
    expect(new Set(creators.map((c) => c.seq)).size).toBe(creators.length);

    const poll = await api.searches.poll("scripted", { jobId, after: String(creators[4]!.seq), limit: 3 });
    expect(poll.results[0]!.creators.map((c) => c.seq)).toEqual(creators.slice(5, 8).map((c) => c.seq));
    expect(poll.hasMore).toBe(true);

    const csv = await api.jobs.exportCsv(jobId);
    expect(csv.trim().split("\n")).toHaveLength(creators.length + 1);
    expect((await api.campaigns.get(campaign.id)).jobs.map((j) => j.jobId)).toEqual([jobId]);
    expect(await api.jobs.cancel(jobId)).toMatchObject({ jobId, status: "completed" }); // finished: left as it is
  });

  it("stops the event stream when the caller breaks out, and on abort", async () => {
    const api = client();
    const campaign = await api.campaigns.create({ name: "Long" });
    const { jobId } = await api.searches.start("scripted", { campaignId: campaign.id, keywords: ["long"], targetResults: 5000, maxApiCalls: 3 });
    for await (const event of api.jobs.events(jobId)) {
      expect(event.progress.jobId).toBe(jobId);
      break;
    }
    const controller = new AbortController();
    controller.abort();
    await expect(api.jobs.events(jobId, { signal: controller.signal })[Symbol.asyncIterator]().next()).rejects.toThrow();
  });

  it("throws ApiError with the status and the fields at fault", async () => {
    const api = client();
    const bad = await api.searches.start("scripted", { campaignId: "nope", keywords: [], targetResults: 0 }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ApiError);
    expect(bad).toMatchObject({ status: 400, issues: expect.arrayContaining([{ field: "keywords", reason: "at least one keyword is required" }]) });

    const theirs = await client("bob").campaigns.create({ name: "Bob's" });
    await expect(api.campaigns.get(theirs.id)).rejects.toMatchObject({ status: 404, message: "Campaign not found" });
    await expect(client(null).campaigns.list()).rejects.toMatchObject({ status: 401 });
    await expect(api.searches.poll("myspace", { jobId: "x" })).rejects.toMatchObject({ status: 404 });
  });

  it("reads Retry-After into retryAfterMs, and a non-API error body into the status line", async () => {
    const limited = await apiErrorOf(new Response(JSON.stringify({ error: "Too many jobs started", issues: [] }), { status: 429, headers: { "retry-after": "7" } }));
    expect(limited).toMatchObject({ status: 429, message: "Too many jobs started", retryAfterMs: 7000 });
    const proxy = await apiErrorOf(new Response("<html>bad gateway</html>", { status: 502, statusText: "Bad Gateway" }));
    expect(proxy).toMatchObject({ status: 502, message: "502 Bad Gateway", issues: [], retryAfterMs: null });
  });
});
