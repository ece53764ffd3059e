import type { CreatorSearch } from "@creatorsearch/core";
import { httpMountSuite, listenOnEphemeralPort } from "@creatorsearch/test-utils/http";
import express5 from "express";
import express4 from "express-v4";
import { describe, expect, it } from "vitest";
import { captureRawBody, toExpressHandler } from "../src/index.js";

type Express = typeof express5;

// The peer range admits Express 4 and 5: every check runs on both majors.
for (const [major, express] of [
  ["5", express5],
  ["4", express4 as unknown as Express],
] as const) {
  /** A real `app.listen()` on an ephemeral port, with a route of the app's own next to ours. */
  function listen(setup: (app: ReturnType<Express>) => void, cs: CreatorSearch) {
    const app = express();
    setup(app);
    app.use(toExpressHandler(cs));
    app.get("/health", (_req, res) => void res.json({ ok: true }));
    return new Promise<{ url: string; close(): Promise<void> }>((resolve) => {
      const server = app.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as { port: number };
        resolve({
          url: `http://127.0.0.1:${port}`,
          close: () => new Promise<void>((done) => (server.closeAllConnections(), server.close(() => done()))),
        });
      });
    });
  }

  httpMountSuite(`express ${major}, no body parser`, { mount: (cs) => listen(() => {}, cs) });

  // express.json() answers oversized bodies itself (its own 100 kB limit), with 413 as well.
  httpMountSuite(`express ${major}, express.json({ verify: captureRawBody }) first`, {
    mount: (cs) => listen((app) => app.use(express.json({ verify: captureRawBody })), cs),
  });

  httpMountSuite(`express ${major}, plain express.json() first`, {
    mount: (cs) => listen((app) => app.use(express.json()), cs),
    webhook: "refused",
  });

  describe(`toExpressHandler on Express ${major}`, () => {
    it("passes requests outside the base path to the app's next routes", async () => {
      const { createCreatorSearch, devAuth, memoryQueue, memoryStorage, tiktok, scrapeCreatorsClient } = await import("@creatorsearch/core");
      const cs = createCreatorSearch({
        storage: memoryStorage(),
        queue: memoryQueue(),
        platforms: [tiktok({ client: scrapeCreatorsClient({ apiKey: "unused", baseUrl: "http://127.0.0.1:9" }) })],
        recoverIntervalMs: 0,
        http: { authenticate: devAuth() },
      });
      const server = await listen(() => {}, cs);
      try {
        expect(await (await fetch(`${server.url}/health`)).json()).toEqual({ ok: true });
        expect((await fetch(`${server.url}/api/campaigns`)).status).toBe(401);
      } finally {
        await server.close();
        await cs.close();
      }
    });
  });
}
