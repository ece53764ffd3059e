import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import type { RequestHandler } from "./handler.js";

/** Options of {@link toWebRequest}. */
export interface ToWebRequestOptions {
  /**
   * The body, when something (a body parser) already read the stream. Default: stream it from
   * `req`, untouched, so signatures over the raw body still verify.
   */
  body?: Uint8Array | string;
  /** Origin used when the `Host` header is missing or malformed. Default `http://localhost`. */
  fallbackOrigin?: string;
}

/**
 * Turns a Node request into a Web `Request`. Its `signal` aborts when the client goes away, so
 * long answers (server-sent events) stop at once.
 */
export function toWebRequest(req: IncomingMessage, res: ServerResponse, options: ToWebRequestOptions = {}): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name.startsWith(":")) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const protocol = (req.socket as { encrypted?: boolean }).encrypted ? "https" : "http";
  let url: URL;
  try {
    url = new URL(req.url ?? "/", `${protocol}://${req.headers.host ?? "localhost"}`);
  } catch {
    url = new URL(`/${(req.url ?? "").replace(/^\/+/, "")}`.replace(/[^\x21-\x7e]/g, encodeURIComponent), options.fallbackOrigin ?? "http://localhost");
  }
  const controller = new AbortController();
  res.once("close", () => {
    if (!res.writableFinished) controller.abort();
  });
  const method = req.method ?? "GET";
  const init: RequestInit & { duplex?: "half" } = { method, headers, signal: controller.signal };
  if (method !== "GET" && method !== "HEAD") {
    if (options.body !== undefined) {
      init.body = options.body as BodyInit;
      headers.delete("content-length");
      headers.delete("transfer-encoding");
    } else {
      init.body = Readable.toWeb(req) as ReadableStream<Uint8Array>;
      init.duplex = "half";
    }
  }
  return new Request(url, init);
}

/** Writes a Web `Response` to a Node response, streaming the body with backpressure. */
export async function writeWebResponse(response: Response, res: ServerResponse): Promise<void> {
  const cookies = response.headers.getSetCookie();
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") headers[name] = value;
  });
  if (cookies.length) headers["set-cookie"] = cookies;
  res.writeHead(response.status, headers);
  if (!response.body) return void res.end();
  const reader = response.body.getReader();
  const onClose = () => void reader.cancel().catch(() => undefined);
  res.once("close", onClose);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!res.write(value)) await new Promise<void>((resolve) => (res.once("drain", resolve), res.once("close", resolve)));
      if (res.destroyed) break;
    }
  } catch {
    // The client went away or the stream failed mid-way; nothing more can be sent.
    res.destroy();
    return;
  } finally {
    res.off("close", onClose);
  }
  res.end();
}

/**
 * A `node:http` listener for a Web handler (`cs` configured with `http`, or `cs.handler`).
 *
 * @example
 * ```ts
 * import { createServer } from "node:http";
 * createServer(toNodeHandler(cs)).listen(3000);
 * ```
 */
export function toNodeHandler(handler: { handler: RequestHandler } | RequestHandler): (req: IncomingMessage, res: ServerResponse) => void {
  const handle: RequestHandler = typeof handler === "function" ? handler : (request) => handler.handler(request);
  return (req, res) => {
    void (async () => {
      const response = await handle(toWebRequest(req, res));
      // Answered before the body was read (413, 401...): close the connection rather than
      // drain an unbounded body or leave unread bytes in front of the next request.
      if (!req.complete) res.setHeader("connection", "close");
      await writeWebResponse(response, res);
    })().catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      res.writeHead(500, { "content-type": "application/json; charset=utf-8" });
      res.end(JSON.stringify({ error: `Internal server error: ${(error as Error)?.message ?? String(error)}`, issues: [] }));
    });
  };
}
