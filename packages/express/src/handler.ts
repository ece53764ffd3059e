import { type CreatorSearch, QSTASH_WEBHOOK_PATH, type RequestHandler } from "@creatorsearch/core";
import { toWebRequest, writeWebResponse } from "@creatorsearch/core/node";
import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from "express";
import { type ParsedRequest, consumedBody } from "./raw-body.js";

/** An Express middleware. */
export type ExpressHandler = (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => void;

const LOST_RAW_BODY =
  "A body parser (express.json()) read the webhook's body before creatorsearch and kept no raw body, so its signature cannot be verified. " +
  "Mount toExpressHandler(cs) before express.json(), or use express.json({ verify: captureRawBody }).";

/**
 * Mounts the creatorsearch routes on Express (4 or 5). Works whether or not `express.json()`
 * ran first: an untouched body is streamed as is; a parsed JSON body is passed on; the signed
 * QStash webhook gets the exact raw bytes (mount before `express.json()`, or capture them with
 * `captureRawBody`), and is refused with a 500 naming the fix when they were lost.
 *
 * Requests outside the handler's base path go to `next()`, so other routes keep working.
 *
 * @example
 * ```ts
 * const app = express();
 * app.use(toExpressHandler(cs)); // serves /api/...
 * app.listen(3000);
 * ```
 */
export function toExpressHandler(target: CreatorSearch | { handler: RequestHandler } | RequestHandler, options: { basePath?: string } = {}): ExpressHandler {
  const handle: RequestHandler = typeof target === "function" ? target : (request) => target.handler(request);
  const basePath = `/${(options.basePath ?? "/api").split("/").filter(Boolean).join("/")}`.replace(/^\/$/, "");
  return (req, res, next) => {
    // Express strips the mount path from req.url; the handler routes on the full path.
    const fullPath = (req.originalUrl ?? req.url ?? "/").split("?")[0]!;
    if (basePath && fullPath !== basePath && !fullPath.startsWith(`${basePath}/`)) return next();
    const body = consumedBody(req as ParsedRequest);
    void (async () => {
      if (body && "parsed" in body && fullPath === `${basePath}${QSTASH_WEBHOOK_PATH}`) {
        res.status(500).json({ error: LOST_RAW_BODY, issues: [{ field: "body", reason: "raw body not available" }] });
        return;
      }
      const raw = body === undefined ? undefined : "raw" in body ? body.raw : JSON.stringify(body.parsed ?? {});
      req.url = req.originalUrl ?? req.url;
      const request = toWebRequest(req, res, raw === undefined ? {} : { body: typeof raw === "string" ? raw : new Uint8Array(raw) });
      const response = await handle(request);
      if (body === undefined && !req.complete) res.setHeader("connection", "close");
      await writeWebResponse(response, res);
    })().catch(next);
  };
}
