import type { IncomingMessage, ServerResponse } from "node:http";
import { type Server, createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { generate } from "selfsigned";
import { pinnedHttpsFetch } from "../src/http/image-proxy/pinned-https-fetch.js";
import type { ImageProxyOptions, ResolvedAddress, UpstreamRequest } from "../src/index.js";

/** Host names the test certificate is valid for (real CDN shapes, so the allow-list is exercised). */
const CERT_NAMES = ["*.tiktokcdn.com", "*.tiktokcdn-us.com", "*.cdninstagram.com", "*.fna.fbcdn.net", "*.ggpht.com", "*.ytimg.com"];

export type Route = (req: IncomingMessage, res: ServerResponse) => void;

/** A real HTTPS server on 127.0.0.1 standing in for every CDN host; routes are keyed by `host + path`. */
export interface FakeCdn {
  port: number;
  cert: string;
  /** Private key of `cert`, for tests that need a raw TLS server. */
  key: string;
  routes: Map<string, Route>;
  /** Requests received, in order: `host + path` and headers. */
  received: { target: string; headers: IncomingMessage["headers"] }[];
  close(): Promise<void>;
}

export async function startFakeCdn(): Promise<FakeCdn> {
  const pems = await generate([{ name: "commonName", value: "fake-cdn.test" }], {
    keySize: 2048,
    extensions: [{ name: "subjectAltName", altNames: CERT_NAMES.map((value) => ({ type: 2 as const, value })) }],
  });
  const routes = new Map<string, Route>();
  const received: FakeCdn["received"] = [];
  const server: Server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    const target = `${req.headers.host ?? ""}${req.url ?? ""}`;
    received.push({ target, headers: req.headers });
    const route = routes.get(target);
    if (route) route(req, res);
    else res.writeHead(404, { "content-type": "text/plain" }).end("no route");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    cert: pems.cert,
    key: pems.private,
    routes,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Deterministic bytes with a JPEG header, so a body mix-up cannot go unnoticed. */
export function fakeJpeg(size: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + 7) % 251;
  bytes.set([0xff, 0xd8, 0xff, 0xe0], 0);
  return bytes;
}

/**
 * Proxy options for tests: `dns` stands in for the resolver (name -> addresses), and every checked
 * connection still goes through the real pinned HTTPS client, only re-aimed from the checked
 * public address at the fake CDN's socket. `pinned` records which address the proxy asked for.
 */
export function testProxyOptions(cdn: FakeCdn, dns: Record<string, string[]>, extra: ImageProxyOptions = {}) {
  const pinned: { host: string; address: ResolvedAddress }[] = [];
  const lookups: string[] = [];
  const options: ImageProxyOptions = {
    resolveHost: async (hostname) => {
      lookups.push(hostname);
      const answers = dns[hostname];
      if (!answers) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
      return answers.map((address) => ({ address, family: address.includes(":") ? (6 as const) : (4 as const) }));
    },
    fetchUpstream: (request: UpstreamRequest) => {
      pinned.push({ host: request.url.hostname, address: request.address });
      return pinnedHttpsFetch({ ...request, address: { address: "127.0.0.1", family: 4 } }, { port: cdn.port, ca: cdn.cert });
    },
    ...extra,
  };
  return { options, pinned, lookups };
}

export const proxyRequest = (url: string, init?: RequestInit) =>
  new Request(`http://app.test/api/proxy/image?url=${encodeURIComponent(url)}`, init);

/** Public addresses of the real CDNs' networks (never contacted: connections are re-aimed). */
export const PUBLIC = { tiktok: "151.101.1.1", meta: "157.240.1.1", google: "142.250.1.1", v6: "2a03:2880:f10c:83:face:b00c:0:25de" };
