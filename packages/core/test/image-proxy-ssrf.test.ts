import { createServer as createTcpServer, type Server as TcpServer } from "node:net";
import { createServer as createTlsServer } from "node:tls";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { pinnedHttpsFetch } from "../src/http/image-proxy/pinned-https-fetch.js";
import { resolvePublicAddress } from "../src/http/image-proxy/address-check.js";
import { imageProxy, isPublicAddress, systemResolver } from "../src/index.js";
import { type FakeCdn, PUBLIC, fakeJpeg, proxyRequest, startFakeCdn, testProxyOptions } from "./image-proxy-server.js";

const TIKTOK = "p16-sign-va.tiktokcdn.com";
const INTERNAL = "internal.tiktokcdn.com";

let cdn: FakeCdn;
beforeAll(async () => {
  cdn = await startFakeCdn();
});
afterAll(() => cdn.close());
beforeEach(() => {
  cdn.routes.clear();
  cdn.received.length = 0;
});

async function expectRefused(res: Response, status: number | [number, number], reason?: RegExp) {
  const [low, high] = Array.isArray(status) ? status : [status, status];
  expect(res.status).toBeGreaterThanOrEqual(low);
  expect(res.status).toBeLessThanOrEqual(high);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  expect(res.headers.get("cache-control")).toBe("no-store");
  const body = (await res.json()) as { error: string; issues: unknown[] };
  expect(typeof body.error).toBe("string");
  if (reason) expect(body.error).toMatch(reason);
  return body;
}

/** Non-public addresses in every notation a resolver (or an attacker's DNS) might answer. */
const PRIVATE_ADDRESSES = [
  "127.0.0.1",
  "127.255.0.9",
  "10.0.0.1",
  "10.255.255.254",
  "172.16.0.1",
  "172.31.255.1",
  "192.168.1.1",
  "169.254.169.254",
  "100.64.0.1",
  "0.0.0.0",
  "255.255.255.255",
  "224.0.0.251",
  "192.0.2.1",
  "198.18.0.1",
  "240.0.0.1",
  "::1",
  "::",
  "::ffff:127.0.0.1",
  "::ffff:7f00:1",
  "::ffff:10.0.0.1",
  "::ffff:169.254.169.254",
  "fe80::1",
  "fe80::1%eth0",
  "fc00::1",
  "fd12:3456:789a::1",
  "ff02::1",
  "64:ff9b::a00:1", // NAT64 of 10.0.0.1
  "2002:a00:1::1", // 6to4 of 10.0.0.1
  "2001:db8::1",
];

describe("SSRF matrix: URLs naming a private or local target", () => {
  const literals: [string, string][] = [
    ["loopback IPv4", "https://127.0.0.1/a.jpg"],
    ["10/8", "https://10.0.0.1/a.jpg"],
    ["172.16/12", "https://172.16.0.1/a.jpg"],
    ["192.168/16", "https://192.168.1.1/a.jpg"],
    ["cloud metadata", "https://169.254.169.254/latest/meta-data/"],
    ["IPv6 loopback", "https://[::1]/a.jpg"],
    ["IPv4-mapped IPv6 loopback", "https://[::ffff:127.0.0.1]/a.jpg"],
    ["decimal IPv4", "https://2130706433/a.jpg"],
    ["octal IPv4", "https://0177.0.0.1/a.jpg"],
    ["octal dword IPv4", "https://017700000001/a.jpg"],
    ["hex IPv4", "https://0x7f.0.0.1/a.jpg"],
    ["short IPv4", "https://127.1/a.jpg"],
    ["unspecified", "https://0.0.0.0/a.jpg"],
    ["CGNAT", "https://100.64.0.1/a.jpg"],
    ["unique-local IPv6", "https://[fd00::1]/a.jpg"],
    ["localhost", "https://localhost/a.jpg"],
    ["localhost with trailing dot", "https://localhost./a.jpg"],
    ["plain http to an IP", "http://127.0.0.1/a.jpg"],
    ["plain http to localhost", "http://localhost:8080/a.jpg"],
    ["a non-CDN public host", "https://example.com/a.jpg"],
    ["a look-alike host", "https://tiktokcdn.com.evil.example/a.jpg"],
    ["a suffix without a dot boundary", "https://eviltiktokcdn.com/a.jpg"],
    ["credentials smuggling a host", "https://127.0.0.1@p16-sign-va.tiktokcdn.com/a.jpg"],
    ["credentials on an upgradable http YouTube URL", "http://user:pw@yt3.ggpht.com/a.jpg"],
    ["a CDN host on another port", `https://${TIKTOK}:8443/a.jpg`],
    ["a CDN host over plain http (not YouTube)", `http://${TIKTOK}/a.jpg`],
    ["file URL", "file:///etc/passwd"],
    ["data URL", "data:image/png;base64,iVBORw0KGgo="],
  ];
  it.each(literals)("refuses %s with a 4xx, before any lookup or connection", async (_name, url) => {
    const { options, lookups, pinned } = testProxyOptions(cdn, { [TIKTOK]: [PUBLIC.tiktok], localhost: ["127.0.0.1"] });
    const body = await expectRefused(await imageProxy(proxyRequest(url), options), [400, 403]);
    expect(body.issues).toEqual([expect.objectContaining({ field: "url" })]);
    expect(lookups).toEqual([]);
    expect(pinned).toEqual([]);
    expect(cdn.received).toEqual([]);
  });

  it.each(PRIVATE_ADDRESSES)("refuses an allowed CDN name that resolves to %s (403, nothing connected)", async (address) => {
    const { options, pinned } = testProxyOptions(cdn, { [INTERNAL]: [address] });
    await expectRefused(await imageProxy(proxyRequest(`https://${INTERNAL}/a.jpg`), options), 403, /non-public address/);
    expect(pinned).toEqual([]);
    expect(cdn.received).toEqual([]);
  });

  it("refuses a name when ANY of its addresses is private, whatever the order", async () => {
    for (const answers of [[PUBLIC.tiktok, "10.0.0.7"], ["::1", PUBLIC.tiktok], [PUBLIC.v6, "fd00::5"]]) {
      const { options, pinned } = testProxyOptions(cdn, { [INTERNAL]: answers });
      await expectRefused(await imageProxy(proxyRequest(`https://${INTERNAL}/a.jpg`), options), 403);
      expect(pinned).toEqual([]);
    }
  });

  it("refuses `localhost` through the operating system's real resolver too", async () => {
    await expect(resolvePublicAddress("localhost", systemResolver, AbortSignal.timeout(5000))).rejects.toMatchObject({ status: 403 });
  });

  it("classifies public unicast addresses (v4 and v6) as public and nothing else", () => {
    for (const address of [PUBLIC.tiktok, PUBLIC.meta, PUBLIC.google, PUBLIC.v6, "8.8.8.8", "2606:4700:4700::1111"]) {
      expect(isPublicAddress(address), address).toBe(true);
    }
    for (const address of [...PRIVATE_ADDRESSES, "not-an-ip", "", "1.2.3.4.5"]) expect(isPublicAddress(address), address).toBe(false);
  });
});

describe("SSRF matrix: redirects", () => {
  const redirectTo = (location: string) => (_req: unknown, res: import("node:http").ServerResponse) =>
    res.writeHead(302, { location }).end();

  it.each([
    ["a private IP literal", "https://127.0.0.1/a.jpg", 403],
    ["the metadata service", "http://169.254.169.254/latest/meta-data/", 400],
    ["IPv6 loopback", "https://[::1]/a.jpg", 403],
    ["localhost", "https://localhost/a.jpg", 403],
    ["a non-CDN host", "https://example.com/a.jpg", 403],
    ["plain http on a CDN host", `http://${TIKTOK}/b.jpg`, 400],
  ] as const)("refuses a redirect to %s", async (_name, location, status) => {
    cdn.routes.set(`${TIKTOK}/a.jpg`, redirectTo(location));
    const { options, pinned } = testProxyOptions(cdn, { [TIKTOK]: [PUBLIC.tiktok] });
    await expectRefused(await imageProxy(proxyRequest(`https://${TIKTOK}/a.jpg`), options), status, /redirect refused/);
    expect(pinned).toHaveLength(1);
    expect(cdn.received).toHaveLength(1);
  });

  it("refuses a redirect to an allowed CDN name that resolves to a private address, without connecting to it", async () => {
    cdn.routes.set(`${TIKTOK}/a.jpg`, redirectTo(`https://${INTERNAL}/secret.jpg`));
    const { options, pinned, lookups } = testProxyOptions(cdn, { [TIKTOK]: [PUBLIC.tiktok], [INTERNAL]: ["10.0.0.5"] });
    await expectRefused(await imageProxy(proxyRequest(`https://${TIKTOK}/a.jpg`), options), 403, /non-public/);
    expect(lookups).toEqual([TIKTOK, INTERNAL]);
    expect(pinned.map((p) => p.host)).toEqual([TIKTOK]);
  });

  it("gives up after maxRedirects hops (502), and refuses a redirect without a Location (502)", async () => {
    cdn.routes.set(`${TIKTOK}/loop.jpg`, redirectTo("/loop.jpg"));
    const { options } = testProxyOptions(cdn, { [TIKTOK]: [PUBLIC.tiktok] }, { maxRedirects: 2 });
    await expectRefused(await imageProxy(proxyRequest(`https://${TIKTOK}/loop.jpg`), options), 502, /more than 2/);
    expect(cdn.received).toHaveLength(3);

    cdn.routes.set(`${TIKTOK}/nowhere.jpg`, (_req, res) => res.writeHead(301).end());
    await expectRefused(await imageProxy(proxyRequest(`https://${TIKTOK}/nowhere.jpg`), options), 502, /without a Location/);
  });
});

describe("SSRF matrix: what the upstream answers", () => {
  const setup = (extra = {}) => testProxyOptions(cdn, { [TIKTOK]: [PUBLIC.tiktok] }, extra).options;

  it.each([
    ["HTML", "text/html; charset=utf-8"],
    ["JSON", "application/json"],
    ["SVG (can carry script)", "image/svg+xml"],
    ["no type", ""],
    ["a malformed type", "image/"],
  ])("refuses a non-image answer: %s (415)", async (_name, type) => {
    cdn.routes.set(`${TIKTOK}/x.jpg`, (_req, res) => res.writeHead(200, type ? { "content-type": type } : {}).end("<html>secret</html>"));
    const body = await expectRefused(await imageProxy(proxyRequest(`https://${TIKTOK}/x.jpg`), setup()), 415, /not an image/);
    expect(JSON.stringify(body)).not.toContain("secret");
  });

  it("refuses an oversized answer announced by Content-Length (413) without reading it", async () => {
    const big = 5 * 1024 * 1024 + 1;
    let written = 0;
    cdn.routes.set(`${TIKTOK}/big.jpg`, (_req, res) => {
      res.writeHead(200, { "content-type": "image/jpeg", "content-length": String(big) });
      const chunk = Buffer.alloc(64 * 1024);
      const pump = () => {
        while (written < big && !res.destroyed) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
        res.end();
      };
      pump();
    });
    await expectRefused(await imageProxy(proxyRequest(`https://${TIKTOK}/big.jpg`), setup()), 413, /larger than 5242880 bytes/);
  });

  it("refuses an oversized answer of unknown length (chunked) once it passes the limit (413)", async () => {
    cdn.routes.set(`${TIKTOK}/stream.jpg`, (_req, res) => {
      res.writeHead(200, { "content-type": "image/jpeg" });
      const chunk = fakeJpeg(256 * 1024);
      let sent = 0;
      const pump = () => {
        while (sent < 8 * 1024 * 1024 && !res.destroyed) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
        res.end();
      };
      pump();
    });
    await expectRefused(await imageProxy(proxyRequest(`https://${TIKTOK}/stream.jpg`), setup()), 413);
    const small = await imageProxy(proxyRequest(`https://${TIKTOK}/stream.jpg`), setup({ maxBytes: 100_000 }));
    await expectRefused(small, 413, /larger than 100000 bytes/);
  });

  it("maps an upstream error status to 502 and never caches it", async () => {
    cdn.routes.set(`${TIKTOK}/gone.jpg`, (_req, res) => res.writeHead(403, { "content-type": "image/jpeg", "cache-control": "max-age=9999" }).end());
    await expectRefused(await imageProxy(proxyRequest(`https://${TIKTOK}/gone.jpg`), setup()), 502, /Upstream answered 403/);
  });

  it("times out (504) when the upstream sends nothing, or stalls mid-body", async () => {
    cdn.routes.set(`${TIKTOK}/silent.jpg`, () => {});
    const started = Date.now();
    await expectRefused(await imageProxy(proxyRequest(`https://${TIKTOK}/silent.jpg`), setup({ timeoutMs: 300 })), 504);
    expect(Date.now() - started).toBeLessThan(5000);

    cdn.routes.set(`${TIKTOK}/stall.jpg`, (_req, res) => {
      res.writeHead(200, { "content-type": "image/jpeg" });
      res.write(fakeJpeg(1000));
    });
    await expectRefused(await imageProxy(proxyRequest(`https://${TIKTOK}/stall.jpg`), setup({ timeoutMs: 300 })), 504);
  });

  describe("with a server that accepts TCP but never speaks TLS", () => {
    let silent: TcpServer;
    beforeAll(async () => {
      // Reads (and drops) what the client sends, so it sees the client hang up.
      silent = createTcpServer((socket) => void socket.resume());
      await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    });
    afterAll(() => new Promise<void>((resolve) => silent.close(() => resolve())));

    it("gives up after connectTimeoutMs (504)", async () => {
      const port = (silent.address() as AddressInfo).port;
      const options = {
        resolveHost: async () => [{ address: PUBLIC.tiktok, family: 4 as const }],
        fetchUpstream: (request: Parameters<typeof pinnedHttpsFetch>[0]) =>
          pinnedHttpsFetch({ ...request, address: { address: "127.0.0.1", family: 4 } }, { port, ca: cdn.cert }),
        connectTimeoutMs: 200,
        timeoutMs: 10_000,
      };
      const started = Date.now();
      await expectRefused(await imageProxy(proxyRequest(`https://${TIKTOK}/a.jpg`), options), 504);
      expect(Date.now() - started).toBeLessThan(5000);
    });
  });

  it("stops the upstream request as soon as the client goes away", async () => {
    let upstreamClosed!: () => void;
    const closed = new Promise<void>((resolve) => (upstreamClosed = resolve));
    cdn.routes.set(`${TIKTOK}/slow.jpg`, (req, res) => {
      res.writeHead(200, { "content-type": "image/jpeg" });
      res.write(fakeJpeg(100));
      req.socket.once("close", upstreamClosed);
    });
    const client = new AbortController();
    const pending = imageProxy(proxyRequest(`https://${TIKTOK}/slow.jpg`, { signal: client.signal }), setup({ timeoutMs: 20_000 }));
    setTimeout(() => client.abort(), 200);
    const res = await pending;
    expect(res.status).toBe(499);
    await res.arrayBuffer();
    await closed; // would hang (and time out the test) if the upstream socket were left open
  });

  it.each([
    ["an impossible status", "HTTP/1.1 999 Odd\r\nContent-Type: image/jpeg\r\nContent-Length: 2\r\n\r\nok"],
    ["a 1xx final status", "HTTP/1.1 199 Odd\r\nContent-Length: 0\r\n\r\n"],
    ["garbage instead of HTTP", "SSH-2.0-OpenSSH_9.6\r\n\r\n"],
    ["a body shorter than its Content-Length", "HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: 5000\r\n\r\nshort"],
  ])("answers 502 (and does not crash) when the upstream sends %s", async (_name, raw) => {
    const tls = createTlsServer({ key: cdn.key, cert: cdn.cert }, (socket) => {
      socket.once("data", () => socket.end(raw));
      socket.on("error", () => {});
    });
    await new Promise<void>((resolve) => tls.listen(0, "127.0.0.1", resolve));
    try {
      const port = (tls.address() as AddressInfo).port;
      const options = {
        resolveHost: async () => [{ address: PUBLIC.tiktok, family: 4 as const }],
        fetchUpstream: (request: Parameters<typeof pinnedHttpsFetch>[0]) =>
          pinnedHttpsFetch({ ...request, address: { address: "127.0.0.1", family: 4 } }, { port, ca: cdn.cert }),
        timeoutMs: 5_000,
      };
      const res = await imageProxy(proxyRequest(`https://${TIKTOK}/raw.jpg`), options);
      if (res.status === 200) {
        // A truncated body can only be noticed while streaming: the stream must fail, not end short silently.
        await expect(res.arrayBuffer()).rejects.toThrow();
      } else {
        await expectRefused(res, 502);
      }
    } finally {
      await new Promise<void>((resolve) => tls.close(() => resolve()));
    }
  });

  it("answers 502 when the host does not resolve or refuses the connection", async () => {
    const { options } = testProxyOptions(cdn, {});
    await expectRefused(await imageProxy(proxyRequest(`https://${TIKTOK}/a.jpg`), options), 502, /Could not resolve/);
    const refused = {
      resolveHost: async () => [{ address: PUBLIC.tiktok, family: 4 as const }],
      fetchUpstream: (request: Parameters<typeof pinnedHttpsFetch>[0]) =>
        pinnedHttpsFetch({ ...request, address: { address: "127.0.0.1", family: 4 } }, { port: 1 }),
    };
    await expectRefused(await imageProxy(proxyRequest(`https://${TIKTOK}/a.jpg`), refused), 502);
  });
});

describe("request validation", () => {
  const options = () => testProxyOptions(cdn, { [TIKTOK]: [PUBLIC.tiktok] }).options;
  const at = (query: string, init?: RequestInit) => new Request(`http://app.test/api/proxy/image${query}`, init);

  it.each([
    ["no url", "", /url: is required/],
    ["an empty url", "?url=", /url: must not be empty/],
    ["two urls", `?url=https://${TIKTOK}/a.jpg&url=https://${TIKTOK}/b.jpg`, /given once/],
    ["a relative url", "?url=/etc/passwd", /absolute URL/],
    ["garbage", "?url=%E2%98%83%20not%20a%20url", /absolute URL/],
    ["an over-long url", `?url=https://${TIKTOK}/${"a".repeat(5000)}`, /at most 4096/],
  ])("answers 400 with the field for %s", async (_name, query, reason) => {
    const body = await expectRefused(await imageProxy(at(query), options()), 400, reason);
    expect(body.issues).toEqual([{ field: "url", reason: expect.any(String) }]);
  });

  it("answers 405 with Allow for methods other than GET and HEAD", async () => {
    const res = await imageProxy(at(`?url=https://${TIKTOK}/a.jpg`, { method: "POST", body: "x" }), options());
    expect(res.headers.get("allow")).toBe("GET, HEAD");
    await expectRefused(res, 405);
  });

  it("answers 500 naming the option when the integrator passes a nonsensical option", async () => {
    await expectRefused(await imageProxy(at(`?url=https://${TIKTOK}/a.jpg`), { maxBytes: -1 }), 500, /maxBytes/);
    await expectRefused(await imageProxy(at(`?url=https://${TIKTOK}/a.jpg`), { allowedHostSuffixes: ["localhost"] }), 500, /localhost/);
  });

  it("allows extra host suffixes from options (normalized), and still checks their addresses", async () => {
    cdn.routes.set(`${TIKTOK}/a.jpg`, (_req, res) => res.writeHead(200, { "content-type": "image/gif" }).end("GIF89a"));
    const host = "media.tiktokcdn.com";
    const extra = testProxyOptions(cdn, { "img.example.org": ["10.0.0.1"], [host]: [PUBLIC.tiktok] }, { allowedHostSuffixes: [".Example.ORG"] }).options;
    await expectRefused(await imageProxy(proxyRequest("https://img.example.org/a.jpg"), extra), 403, /non-public/);
    await expectRefused(await imageProxy(proxyRequest("https://img.example.net/a.jpg"), extra), 403, /not an allowed/);
  });
});
