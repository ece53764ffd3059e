import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  ConfigurationError,
  InsufficientCreditsError,
  RetryAfterError,
  UpstreamAuthError,
  UpstreamBadRequestError,
  UpstreamShapeError,
  UpstreamUnavailableError,
  isRetryable,
  rawPageJson,
  scrapeCreatorsClient,
} from "../src/index.js";

const BASE = "https://api.scrapecreators.test";
const server = setupServer();
const calls: Request[] = [];
server.events.on("request:start", ({ request }) => void calls.push(request.clone()));

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => {
  server.resetHandlers();
  calls.length = 0;
});
afterAll(() => server.close());

const Ok = z.object({ ok: z.boolean() });
const client = () => scrapeCreatorsClient({ apiKey: "key-123", baseUrl: BASE, retries: 2, timeoutMs: 2_000 });
const answer = (...responses: (() => Response)[]) => {
  let i = 0;
  server.use(http.get(`${BASE}/v1/thing`, () => responses[Math.min(i++, responses.length - 1)]!()));
};
const fail = (status: number, body: unknown, headers: Record<string, string> = {}) => () =>
  HttpResponse.json(body as object, { status, headers });

async function caught(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a rejection");
}

describe("scrapeCreatorsClient", () => {
  it("sends x-api-key and the query, omitting empty params", async () => {
    answer(() => HttpResponse.json({ ok: true }));
    expect(await client().get("/v1/thing", { query: "soup", cursor: 30, region: undefined, x: "" }, Ok)).toEqual({ ok: true });
    expect(calls[0]!.headers.get("x-api-key")).toBe("key-123");
    expect(new URL(calls[0]!.url).search).toBe("?query=soup&cursor=30");
  });

  it("returns a raw body that storage saves as it arrived, not serialized again", async () => {
    const body = '{ "ok": true,\n  "name": "caf\\u00e9" }';
    answer(() => new HttpResponse(body, { headers: { "content-type": "application/json" } }));
    const raw = await client().getRaw("/v1/thing", {});
    expect(raw).toEqual({ ok: true, name: "café" });
    expect(rawPageJson(raw)).toBe(body);
  });

  it("maps 429 to RetryAfterError honouring Retry-After, without retrying in-process", async () => {
    answer(fail(429, { success: false, message: "Rate limited" }, { "Retry-After": "7" }));
    const error = await caught(client().get("/v1/thing", {}, Ok));
    expect(error).toBeInstanceOf(RetryAfterError);
    expect((error as RetryAfterError).retryAfterMs).toBe(7000);
    expect(calls).toHaveLength(1);
  });

  it("maps 401 to a non-retryable auth error with a clear message", async () => {
    answer(fail(401, { success: false, message: "Invalid API key" }));
    const error = await caught(client().get("/v1/thing", {}, Ok));
    expect(error).toBeInstanceOf(UpstreamAuthError);
    expect(isRetryable(error)).toBe(false);
    expect(error.message).toMatch(/refused the API key \(401\): Invalid API key/);
    expect(calls).toHaveLength(1);
  });

  it('treats the 500 "apiKey is required" answer as an auth error and does not retry it', async () => {
    answer(fail(500, { success: false, message: "apiKey is required" }));
    const error = await caught(client().get("/v1/thing", {}, Ok));
    expect(error).toBeInstanceOf(UpstreamAuthError);
    expect(calls).toHaveLength(1);
  });

  it("maps 402 to InsufficientCreditsError", async () => {
    answer(fail(402, { success: false, message: "Payment Required" }));
    const error = await caught(client().get("/v1/thing", {}, Ok));
    expect(error).toBeInstanceOf(InsufficientCreditsError);
    expect(isRetryable(error)).toBe(false);
  });

  it("maps 400 to a non-retryable bad-request error with the upstream message", async () => {
    answer(fail(400, { success: false, error: "missing_parameter", message: "You must provide a query" }));
    const error = await caught(client().get("/v1/thing", {}, Ok));
    expect(error).toBeInstanceOf(UpstreamBadRequestError);
    expect(error.message).toContain("You must provide a query");
  });

  it("retries 5xx with backoff and succeeds", async () => {
    answer(fail(500, { message: "boom" }), fail(503, { message: "busy" }), () => HttpResponse.json({ ok: true }));
    expect(await client().get("/v1/thing", {}, Ok)).toEqual({ ok: true });
    expect(calls).toHaveLength(3);
  });

  it("retries network errors and succeeds", async () => {
    answer(() => HttpResponse.error(), () => HttpResponse.json({ ok: true }));
    expect(await client().get("/v1/thing", {}, Ok)).toEqual({ ok: true });
    expect(calls).toHaveLength(2);
  });

  it("gives a retryable UpstreamUnavailableError once its own retries are spent", async () => {
    answer(fail(502, { message: "bad gateway" }));
    const error = await caught(client().get("/v1/thing", {}, Ok));
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(isRetryable(error)).toBe(true);
    expect(calls).toHaveLength(3);
  });

  it("treats a 200 with success:false as an error", async () => {
    answer(() => HttpResponse.json({ success: false, message: "This video is age restricted" }));
    const error = await caught(client().get("/v1/thing", {}, Ok));
    expect(error).toBeInstanceOf(UpstreamBadRequestError);
    expect(error.message).toContain("age restricted");
  });

  it("fails with the field path when the body has another shape", async () => {
    answer(() => HttpResponse.json({ ok: "yes" }));
    const error = await caught(client().get("/v1/thing", {}, Ok));
    expect(error).toBeInstanceOf(UpstreamShapeError);
    expect(error.message).toMatch(/\/v1\/thing: ok: /);
  });

  it("refuses to start without an API key, saying how to set one", () => {
    const saved = process.env.SCRAPECREATORS_API_KEY;
    delete process.env.SCRAPECREATORS_API_KEY;
    try {
      expect(() => scrapeCreatorsClient({ baseUrl: BASE })).toThrow(ConfigurationError);
      expect(() => scrapeCreatorsClient({ baseUrl: BASE })).toThrow(/SCRAPECREATORS_API_KEY/);
    } finally {
      if (saved !== undefined) process.env.SCRAPECREATORS_API_KEY = saved;
    }
  });

  it("falls back to SCRAPECREATORS_API_KEY and SCRAPECREATORS_BASE_URL", async () => {
    process.env.SCRAPECREATORS_API_KEY = "from-env";
    process.env.SCRAPECREATORS_BASE_URL = BASE;
    try {
      answer(() => HttpResponse.json({ ok: true }));
      await scrapeCreatorsClient().get("/v1/thing", {}, Ok);
      expect(calls[0]!.headers.get("x-api-key")).toBe("from-env");
    } finally {
      delete process.env.SCRAPECREATORS_API_KEY;
      delete process.env.SCRAPECREATORS_BASE_URL;
    }
  });
});
