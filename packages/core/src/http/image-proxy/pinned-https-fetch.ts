import { request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";
import { Readable } from "node:stream";
import type { ResolvedAddress } from "./address-check.js";

/** One upstream request, to an address the proxy has already checked. */
export interface UpstreamRequest {
  /** The URL being fetched (its host name is used for SNI, certificate checks and `Host`). */
  url: URL;
  /** The checked address to connect to. Connecting anywhere else reopens the DNS-rebinding hole. */
  address: ResolvedAddress;
  /** Request headers (no client headers are forwarded: no cookies, no auth). */
  headers: Record<string, string>;
  /** Aborts on the proxy's total timeout or when the client goes away. */
  signal: AbortSignal;
  /** Give up if the TCP + TLS handshake takes longer than this. */
  connectTimeoutMs: number;
}

/**
 * Performs one upstream request without following redirects, and answers with a Web `Response`
 * whose body streams. The default, {@link pinnedHttpsFetch}, connects to `request.address`;
 * a replacement (an egress proxy, for instance) must keep that guarantee.
 */
export type UpstreamFetcher = (request: UpstreamRequest) => Promise<Response>;

/** The upstream did not finish its TCP + TLS handshake in time. */
export class ConnectTimeoutError extends Error {
  constructor(ms: number) {
    super(`Upstream connection not established within ${ms} ms`);
    this.name = "ConnectTimeoutError";
  }
}

/** Connection options only tests need: a port other than 443 and a private CA for a local server. */
export interface PinnedHttpsOverrides {
  port?: number;
  ca?: string | Buffer;
}

/**
 * The default {@link UpstreamFetcher}: `node:https` with a `lookup` that always answers the
 * already-checked address, so no second DNS query can swap in another one, while SNI and
 * certificate validation still use the host name. No connection reuse (`agent: false`).
 */
export function pinnedHttpsFetch(request: UpstreamRequest, overrides: PinnedHttpsOverrides = {}): Promise<Response> {
  const { url, address, signal, connectTimeoutMs } = request;
  const pinnedLookup: LookupFunction = (_hostname, options, callback) => {
    // Node calls lookup with `all: true` when it races address families (autoSelectFamily).
    if (options.all) (callback as (e: null, a: ResolvedAddress[]) => void)(null, [address]);
    else callback(null, address.address, address.family);
  };
  return new Promise<Response>((resolve, reject) => {
    const req = httpsRequest({
      hostname: url.hostname,
      servername: url.hostname,
      port: overrides.port ?? 443,
      path: `${url.pathname}${url.search}`,
      method: "GET",
      headers: { ...request.headers, host: url.host },
      lookup: pinnedLookup,
      agent: false,
      signal,
      ...(overrides.ca === undefined ? {} : { ca: overrides.ca }),
    });
    const connectTimer = setTimeout(() => req.destroy(new ConnectTimeoutError(connectTimeoutMs)), connectTimeoutMs);
    req.once("socket", (socket) => {
      socket.once("secureConnect", () => clearTimeout(connectTimer));
      socket.once("close", () => clearTimeout(connectTimer));
    });
    // `on`, not `once`: an abort after the answer arrived can emit a second error, which must not go unhandled.
    req.on("error", (error) => {
      clearTimeout(connectTimer);
      reject(error);
    });
    req.once("response", (res) => {
      clearTimeout(connectTimer);
      // Throwing inside an event handler would crash the process: a header `Headers` refuses
      // (Node's parser is laxer) or an odd status rejects the request instead.
      try {
        const headers = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          if (value === undefined) continue;
          for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
        }
        const status = res.statusCode ?? 0;
        if (status < 200 || status > 599) throw new Error(`Upstream answered with status ${status}`);
        const bodyless = status === 204 || status === 304;
        if (bodyless) res.resume();
        const body = bodyless ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
        resolve(new Response(body, { status, headers }));
      } catch (error) {
        res.destroy();
        reject(error);
      }
    });
    req.end();
  });
}
