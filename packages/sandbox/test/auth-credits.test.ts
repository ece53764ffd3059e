import { InsufficientCreditsError, RetryAfterError, scrapeCreatorsClient, UpstreamAuthError } from "@creatorsearch/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_KEYS } from "../src/index.js";
import { closeAll, get, keywordPath, serve } from "./helpers.js";

afterAll(closeAll);

async function caught(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}

describe("API keys", () => {
  let url: string;
  beforeAll(async () => {
    url = (await serve()).url;
  });

  it("answers 401 'apiKey is required' without x-api-key, and optionally 500 like one observed probe", async () => {
    const missing = await get(url, keywordPath("soup"), null);
    expect(missing.status).toBe(401);
    expect(missing.body).toEqual({ success: false, message: "apiKey is required" });
    const { url: legacy } = await serve({ missingKeyStatus: 500 });
    const five = await get(legacy, "/v1/account/credit-balance", null);
    expect(five.status).toBe(500);
    expect(five.body.message).toBe("apiKey is required");
    // core treats both as an auth error
    const client = scrapeCreatorsClient({ apiKey: " ", baseUrl: legacy, retries: 0 });
    expect(await caught(client.getRaw("/v1/credit-balance", {}))).toBeInstanceOf(UpstreamAuthError);
  });

  it("accepts any other key, header name case-insensitive", async () => {
    const res = await fetch(`${url}/v1/credit-balance`, { headers: { "X-API-KEY": "whatever" } });
    expect(res.status).toBe(200);
  });

  it(`${SANDBOX_KEYS.invalid} -> 401`, async () => {
    const { status, body } = await get(url, keywordPath("soup"), SANDBOX_KEYS.invalid);
    expect(status).toBe(401);
    expect(body).toMatchObject({ success: false, message: expect.any(String) });
    const client = scrapeCreatorsClient({ apiKey: SANDBOX_KEYS.invalid, baseUrl: url });
    expect(await caught(client.getRaw("/v1/tiktok/search/keyword", { query: "soup" }))).toBeInstanceOf(UpstreamAuthError);
  });

  it(`${SANDBOX_KEYS.noCredits} -> 402 Insufficient credits, which core maps to InsufficientCreditsError`, async () => {
    const { status, body } = await get(url, keywordPath("soup"), SANDBOX_KEYS.noCredits);
    expect(status).toBe(402);
    expect(body).toMatchObject({ success: false, credits_remaining: 0, message: expect.stringMatching(/^Insufficient credits/) });
    const client = scrapeCreatorsClient({ apiKey: SANDBOX_KEYS.noCredits, baseUrl: url });
    expect(await caught(client.getRaw("/v1/tiktok/search/keyword", { query: "soup" }))).toBeInstanceOf(InsufficientCreditsError);
  });

  it(`${SANDBOX_KEYS.rateLimit} -> 429 with Retry-After: 1`, async () => {
    const { status, headers } = await get(url, keywordPath("soup"), SANDBOX_KEYS.rateLimit);
    expect(status).toBe(429);
    expect(headers.get("retry-after")).toBe("1");
    const client = scrapeCreatorsClient({ apiKey: SANDBOX_KEYS.rateLimit, baseUrl: url });
    const error = await caught(client.getRaw("/v1/tiktok/search/keyword", { query: "soup" }));
    expect(error).toBeInstanceOf(RetryAfterError);
    expect((error as RetryAfterError).retryAfterMs).toBe(1000);
  });

  it(`${SANDBOX_KEYS.flaky} fails every other call per path, so one retry succeeds`, async () => {
    const server = await serve();
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await get(server.url, keywordPath("soup"), SANDBOX_KEYS.flaky)).status);
    expect(statuses).toEqual([500, 200, 500, 200]);
    expect((await get(server.url, "/v1/credit-balance", SANDBOX_KEYS.flaky)).status).toBe(500); // counted per path
    const client = scrapeCreatorsClient({ apiKey: SANDBOX_KEYS.flaky, baseUrl: server.url, retries: 1 });
    const raw = (await client.getRaw("/v1/tiktok/profile", { handle: "someone" })) as { success: boolean };
    expect(raw.success).toBe(true);
    expect(server.sandbox.requestCount("/v1/tiktok/profile")).toBe(2);
  });
});

describe("errors", () => {
  let url: string;
  beforeAll(async () => {
    url = (await serve()).url;
  });

  it("unknown path -> 404 JSON", async () => {
    const { status, body } = await get(url, "/v1/tiktok/nope");
    expect(status).toBe(404);
    expect(body).toMatchObject({ success: false, message: expect.stringContaining("/v1/tiktok/nope") });
  });

  it("missing required parameter -> 400 naming it, free of charge", async () => {
    const server = await serve({ credits: 5 });
    for (const [path, param] of [
      ["/v1/tiktok/search/keyword", "query"],
      ["/v1/tiktok/search/users", "query"],
      ["/v1/instagram/profile", "handle"],
      ["/v2/instagram/reels/search", "query"],
      ["/v1/youtube/search", "query"],
      ["/v1/youtube/channel", "handle"],
      ["/v1/tiktok/profile", "handle"],
    ] as const) {
      const { status, body } = await get(server.url, path);
      expect(status, path).toBe(400);
      expect(body).toMatchObject({ success: false, error: "missing_parameter" });
      expect(body.message).toContain(param);
    }
    expect(server.sandbox.creditsUsed).toBe(0);
  });

  it("non-GET -> 405", async () => {
    const res = await fetch(`${url}/v1/credit-balance`, { method: "POST", headers: { "x-api-key": "k" }, body: "{}" });
    expect(res.status).toBe(405);
  });
});

describe("credits", () => {
  it("charges 1 per successful call, reports credits_remaining, and answers 402 when exhausted", async () => {
    const server = await serve({ credits: 3 });
    const seen = [];
    for (let i = 0; i < 3; i++) {
      const { status, body } = await get(server.url, keywordPath("soup", i * 30));
      expect(status).toBe(200);
      expect(body.credits_charged).toBe(1);
      seen.push(body.credits_remaining);
    }
    expect(seen).toEqual([2, 1, 0]);
    const broke = await get(server.url, keywordPath("soup", 90));
    expect(broke.status).toBe(402);
    expect(broke.body.message).toMatch(/^Insufficient credits/);
    // Balance checks are free and keep working.
    const balance = await get(server.url, "/v1/account/credit-balance");
    expect(balance.body).toMatchObject({ creditCount: 0, credits_charged: 0 });
    expect(server.sandbox.creditsUsed).toBe(3);
    expect(server.sandbox.creditsRemaining).toBe(0);
    expect(server.sandbox.requestCounts()).toEqual({ "/v1/tiktok/search/keyword": 4, "/v1/account/credit-balance": 1 });
    server.sandbox.reset();
    expect(server.sandbox.creditsRemaining).toBe(3);
    expect(server.sandbox.totalRequests).toBe(0);
    expect((await get(server.url, keywordPath("soup"))).status).toBe(200);
  });

  it("serves cacheable calls with cache_max_age from cache for 0 credits", async () => {
    const server = await serve();
    const first = await get(server.url, "/v1/instagram/profile?handle=sunny.pastry&cache_max_age=7d");
    const second = await get(server.url, "/v1/instagram/profile?handle=sunny.pastry&cache_max_age=7d");
    expect(first.body.credits_charged).toBe(1);
    expect(first.body.cached).toBeUndefined();
    expect(second.body).toMatchObject({ credits_charged: 0, cached: true, cached_at: expect.any(String) });
    expect(second.body.data).toEqual(first.body.data);
    // Searches are never cached.
    const s1 = await get(server.url, `${keywordPath("soup")}&cache_max_age=7d`);
    const s2 = await get(server.url, `${keywordPath("soup")}&cache_max_age=7d`);
    expect([s1.body.credits_charged, s2.body.credits_charged]).toEqual([1, 1]);
  });
});

describe("knobs", () => {
  it("honours latencyMs", async () => {
    const { url } = await serve({ latencyMs: 150 });
    const t0 = performance.now();
    await get(url, "/v1/credit-balance");
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it("failureRate answers a reproducible share of 500s", async () => {
    const run = async () => {
      const { url } = await serve({ failureRate: 0.5 });
      const statuses = [];
      for (let i = 0; i < 20; i++) statuses.push((await get(url, "/v1/credit-balance")).status);
      return statuses;
    };
    const a = await run();
    expect(a).toContain(500);
    expect(a).toContain(200);
    expect(await run()).toEqual(a);
  });

  it("rateLimit answers 429 with Retry-After beyond max calls per interval, per key", async () => {
    const { url } = await serve({ rateLimit: { max: 2, intervalMs: 60_000 } });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await get(url, "/v1/credit-balance", "a")).status);
    expect(statuses).toEqual([200, 200, 429]);
    const limited = await get(url, "/v1/credit-balance", "a");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await get(url, "/v1/credit-balance", "b")).status).toBe(200);
  });
});
