import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { SandboxOptions } from "./options.js";
import { createSandbox, type Sandbox } from "./sandbox.js";

/** Options of {@link startSandboxServer}: the sandbox's, plus where to listen. */
export interface SandboxServerOptions extends SandboxOptions {
  /** Port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to bind. Default `127.0.0.1` (local only). */
  host?: string;
  /** Serve this sandbox instead of creating one from the options (share state with msw, say). */
  sandbox?: Sandbox;
}

/** A listening sandbox server. */
export interface SandboxServer {
  /** Base URL without trailing slash, e.g. `http://127.0.0.1:54321`: use as `SCRAPECREATORS_BASE_URL`. */
  url: string;
  port: number;
  /** The sandbox behind the server (credits, request counts, reset). */
  sandbox: Sandbox;
  /** Stops listening and closes open (keep-alive) connections, so the process can exit. */
  close(): Promise<void>;
}

/** Reads a node request into a Web `Request`. */
async function toRequest(req: IncomingMessage, origin: string): Promise<Request> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const method = req.method ?? "GET";
  let body: Uint8Array | undefined;
  if (method !== "GET" && method !== "HEAD") {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    body = new Uint8Array(Buffer.concat(chunks));
  }
  return new Request(new URL(req.url ?? "/", origin), { method, headers, ...(body?.length ? { body: body as BodyInit } : {}) });
}

/** Writes a Web `Response` to a node response. */
async function writeResponse(response: Response, res: ServerResponse): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const body = Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, { ...headers, "content-length": String(body.length) });
  res.end(body);
}

/**
 * Serves a sandbox over HTTP with `node:http`.
 *
 * @example
 * ```ts
 * const server = await startSandboxServer({ port: 0, latencyMs: 200 });
 * process.env.SCRAPECREATORS_BASE_URL = server.url;
 * // ... run your code ...
 * await server.close();
 * ```
 */
export async function startSandboxServer(options: SandboxServerOptions = {}): Promise<SandboxServer> {
  const { port = 0, host = "127.0.0.1", sandbox: given, ...sandboxOptions } = options;
  const sandbox = given ?? createSandbox(sandboxOptions);
  const server = createServer((req, res) => {
    const origin = `http://${req.headers.host ?? `${host}:${port}`}`;
    toRequest(req, origin)
      .then((request) => sandbox.fetch(request))
      .then((response) => writeResponse(response, res))
      .catch((error: unknown) => {
        if (res.headersSent) return void res.destroy();
        res.writeHead(500, { "content-type": "application/json; charset=utf-8" });
        res.end(JSON.stringify({ success: false, message: `Sandbox server error: ${(error as Error)?.message ?? String(error)}` }));
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  // IPv6 hosts need brackets in a URL.
  const urlHost = address.family === "IPv6" || host.includes(":") ? `[${address.address}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    sandbox,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
