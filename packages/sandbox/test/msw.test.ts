import { scrapeCreatorsClient, tiktok, type PageContext } from "@creatorsearch/core";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandbox, SANDBOX_KEYS } from "../src/index.js";
import { sandboxHandlers } from "../src/msw.js";

const sandbox = createSandbox({ resultsPerQuery: 60 });
const server = setupServer(...sandboxHandlers({ sandbox }), ...sandboxHandlers({ baseUrl: "https://sandbox.test/api/", resultsPerQuery: 60 }));

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterAll(() => server.close());

describe("sandboxHandlers (msw)", () => {
  it("answers https://api.scrapecreators.com from the sandbox, usable by core's client and TikTok adapter", async () => {
    const client = scrapeCreatorsClient({ apiKey: "test" });
    expect(client.baseUrl).toBe("https://api.scrapecreators.com");
    const adapter = tiktok({ client });
    const chain = { input: "sourdough", cursor: null as string | null };
    let creators = 0;
    let pages = 0;
    for (;;) {
      const context = { job: {}, chain } as unknown as PageContext;
      const page = adapter.parsePage(await adapter.fetchPage(context), context);
      pages++;
      creators += page.creators.length;
      if (!page.hasMore) break;
      chain.cursor = page.nextCursor;
    }
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(creators).toBeGreaterThan(0);
    expect(sandbox.creditsUsed).toBe(pages);
    expect(sandbox.requestCount("/v1/tiktok/search/keyword")).toBe(pages);
  });

  it("gives the same bytes as the sandbox called directly, errors included", async () => {
    const direct = createSandbox({ resultsPerQuery: 60 });
    const path = "/v1/tiktok/search/keyword?query=tacos&cursor=30";
    const viaMsw = await (await fetch(`https://sandbox.test/api${path}`, { headers: { "x-api-key": "k" } })).text();
    const straight = await (await direct.fetch(new Request(`http://x${path}`, { headers: { "x-api-key": "k" } }))).text();
    expect(viaMsw.replace(/"credits_remaining":\d+/, "")).toBe(straight.replace(/"credits_remaining":\d+/, ""));
    expect(JSON.parse(viaMsw).search_item_list.length).toBeGreaterThan(0);
    const limited = await fetch("https://api.scrapecreators.com/v1/tiktok/profile?handle=a", { headers: { "x-api-key": SANDBOX_KEYS.rateLimit } });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");
  });
});
