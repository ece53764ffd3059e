/**
 * The HTTP client's own retries (5xx, timeouts, network errors) count against the job's API-call
 * budget, as a redelivery after a 429 does: every request that reaches the API is one call.
 */
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  TIKTOK_KEYWORD_SEARCH_PATH,
  UpstreamUnavailableError,
  createCreatorSearch,
  memoryQueue,
  memoryStorage,
  retriesWithinBudget,
  scrapeCreatorsClient,
  tiktok,
} from "../src/index.js";
import { aweme, page } from "./fixtures/tiktok.js";

const BASE = "https://api.scrapecreators.test";
const server = setupServer();
let requests = 0;
server.events.on("request:start", () => void (requests += 1));

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => {
  server.resetHandlers();
  requests = 0;
});
afterAll(() => server.close());

/** Answers `failures` 500s, then TikTok search pages of one new creator each, `pages` in all. */
function flakySearch(failures: number, pages = 1) {
  let failed = 0;
  let served = 0;
  server.use(
    http.get(`${BASE}${TIKTOK_KEYWORD_SEARCH_PATH}`, () => {
      if (failed < failures) {
        failed += 1;
        return HttpResponse.json({ message: "upstream hiccup" }, { status: 500 });
      }
      served += 1;
      const more = served < pages;
      return HttpResponse.json(page([aweme(`creator${served}`)], more ? served : null, more ? 1 : 0));
    }),
  );
}

const client = () => scrapeCreatorsClient({ apiKey: "key", baseUrl: BASE, retries: 2, timeoutMs: 2_000 });

describe("client retries and the budget", () => {
  it("asks before each retry: a granted retry is made, a refused one is not and the call fails", async () => {
    flakySearch(1);
    const asked: number[] = [];
    await client().getRaw(TIKTOK_KEYWORD_SEARCH_PATH, { query: "soup" }, { reserveRetry: async () => (asked.push(requests), true) });
    expect([requests, asked]).toEqual([2, [1]]);

    requests = 0;
    flakySearch(1);
    const refused = client().getRaw(TIKTOK_KEYWORD_SEARCH_PATH, { query: "soup" }, { reserveRetry: async () => false });
    await expect(refused).rejects.toBeInstanceOf(UpstreamUnavailableError);
    expect(requests).toBe(1);
  });

  it("retriesWithinBudget takes one call of the step's budget per retry", async () => {
    let left = 1;
    const reserve = retriesWithinBudget(async (count) => {
      const granted = Math.min(count, left);
      left -= granted;
      return granted;
    })!;
    expect([await reserve(), await reserve(), left]).toEqual([true, false, 0]);
    expect(retriesWithinBudget(undefined)).toBeUndefined();
  });

  it("a job's apiCalls counts the client's retries: requests made equal calls counted", async () => {
    flakySearch(2, 2); // two 500s on the first page, retried in-process, then two pages
    const cs = createCreatorSearch({
      storage: memoryStorage(),
      queue: memoryQueue(),
      platforms: [tiktok({ client: client() })],
      recoverIntervalMs: 0,
    });
    const campaign = await cs.campaigns.create("u", { name: "budget" });
    const job = await cs.jobs.start("u", { campaignId: campaign.id, platform: "tiktok", keywords: ["soup"], targetResults: 100 });
    const done = await cs.jobs.wait("u", job.id, { timeoutMs: 20_000, pollMs: 20 });
    expect(done.status).toBe("completed");
    expect(requests).toBe(4);
    expect(done.apiCalls).toBe(requests);
    await cs.close();
  }, 30_000);

  it("a budget spent by retries stops the retries: never more requests than the budget", async () => {
    flakySearch(10); // the upstream keeps failing
    const cs = createCreatorSearch({
      storage: memoryStorage(),
      queue: memoryQueue({ backoff: { baseMs: 10 } }),
      platforms: [tiktok({ client: client() })],
      recoverIntervalMs: 0,
    });
    const campaign = await cs.campaigns.create("u", { name: "budget" });
    const job = await cs.jobs.start("u", { campaignId: campaign.id, platform: "tiktok", keywords: ["soup"], targetResults: 100, maxApiCalls: 2 });
    const done = await cs.jobs.wait("u", job.id, { timeoutMs: 20_000, pollMs: 20 });
    expect(done.apiCalls).toBe(2);
    expect(requests).toBe(2);
    await cs.close();
  }, 30_000);
});
