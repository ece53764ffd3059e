import type { CreatorSearch } from "@creatorsearch/core";
import { toExpressHandler } from "@creatorsearch/express";
import express, { type Express } from "express";

/** The Express app: the SDK's routes under `/api`, and a health check for load balancers. */
export function createApp(cs: CreatorSearch): Express {
  const app = express();
  app.disable("x-powered-by");
  // Mounted before any body parser: the SDK streams bodies itself (and the QStash webhook keeps its raw bytes).
  app.use(toExpressHandler(cs));
  app.get("/healthz", (_req, res) => {
    res.json({ ok: true });
  });
  return app;
}
