import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { pinnedHttpsFetch } from "../src/http/image-proxy/pinned-https-fetch.js";
import { IMAGE_PROXY_DEFAULTS, createCreatorSearch, devAuth, imageProxy, memoryQueue, memoryStorage, tiktok, urlExpiry } from "../src/index.js";
import { type FakeCdn, PUBLIC, fakeJpeg, proxyRequest, startFakeCdn, testProxyOptions } from "./image-proxy-server.js";

const NOW = new Date("2026-03-01T12:00:00Z");
const nowSeconds = NOW.getTime() / 1000;
const TIKTOK = "p16-sign-va.tiktokcdn.com";
const INSTAGRAM = "scontent-iad3-1.cdninstagram.com";
const YOUTUBE = "yt3.ggpht.com";
const DNS = { [TIKTOK]: [PUBLIC.tiktok], [INSTAGRAM]: [PUBLIC.meta, PUBLIC.v6], [YOUTUBE]: [PUBLIC.google] };

let cdn: FakeCdn;
beforeAll(async () => {
  cdn = await startFakeCdn();
});
afterAll(() => cdn.close());
beforeEach(() => {
  cdn.routes.clear();
  cdn.received.length = 0;
});

const setup = (extra = {}) => testProxyOptions(cdn, DNS, { now: () => NOW, ...extra });
const image = (bytes: Buffer, headers: Record<string, string> = {}) => (_req: unknown, res: import("node:http").ServerResponse) =>
  res.writeHead(200, { "content-type": "image/jpeg", "content-length": String(bytes.length), ...headers }).end(bytes);

describe("imageProxy: serving images", () => {
  it("streams a TikTok avatar through with its type, safe headers and a cache lifetime bounded by x-expires", async () => {
    const bytes = fakeJpeg(48_000);
    const expires = nowSeconds + 2 * 3600;
    const path = `/tos-maliva-avt-0068/abc~c5_720x720.jpeg?lk3s=a5d48078&x-expires=${expires}&x-signature=demo`;
    cdn.routes.set(`${TIKTOK}${path}`, image(bytes, { etag: '"v1"', "last-modified": "Sun, 01 Mar 2026 10:00:00 GMT" }));
    const { options, pinned } = setup();

    const res = await imageProxy(proxyRequest(`https://${TIKTOK}${path}`, { headers: { cookie: "session=secret", authorization: "Bearer x" } }), options);

    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
    expect(res.headers.get("content-type")).toBe("image/jpeg");
    expect(res.headers.get("content-length")).toBe(String(bytes.length));
    expect(res.headers.get("cache-control")).toBe("public, max-age=7200");
    expect(res.headers.get("expires")).toBe(new Date((expires) * 1000).toUTCString());
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-security-policy")).toBe("default-src 'none'; sandbox");
    expect(res.headers.get("etag")).toBe('"v1"');
    expect(res.headers.get("last-modified")).toBe("Sun, 01 Mar 2026 10:00:00 GMT");
    // Connected to exactly the address the check approved, with the real host name on the wire.
    expect(pinned).toEqual([{ host: TIKTOK, address: { address: PUBLIC.tiktok, family: 4 } }]);
    const sent = cdn.received[0]!;
    expect(sent.headers.host).toBe(TIKTOK);
    expect(sent.headers.cookie).toBeUndefined();
    expect(sent.headers.authorization).toBeUndefined();
    expect(sent.headers.accept).toContain("image/");
    expect(sent.headers["user-agent"]).toBe(IMAGE_PROXY_DEFAULTS.userAgent);
  });

  it("bounds the cache lifetime by Instagram's hex `oe` expiry, and by the upstream's own max-age", async () => {
    const oe = Math.floor(nowSeconds + 600).toString(16).toUpperCase();
    const path = `/v/t51.2885-19/4300000_n.jpg?stp=dst-jpg_s150x150_tt6&oh=00_demo&oe=${oe}`;
    cdn.routes.set(`${INSTAGRAM}${path}`, image(fakeJpeg(1000)));
    const { options, pinned } = setup();
    const res = await imageProxy(proxyRequest(`https://${INSTAGRAM}${path}`), options);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=600");
    await res.arrayBuffer();
    // The first of all resolved addresses (every one of them was checked).
    expect(pinned[0]?.address.address).toBe(PUBLIC.meta);

    cdn.routes.set(`${INSTAGRAM}${path}`, image(fakeJpeg(1000), { "cache-control": "public, max-age=60" }));
    const capped = await imageProxy(proxyRequest(`https://${INSTAGRAM}${path}`), options);
    expect(capped.headers.get("cache-control")).toBe("public, max-age=60");
    await capped.arrayBuffer();
  });

  it("does not cache an image whose signed URL has already expired, or that the upstream marks no-store", async () => {
    const expired = `/a.jpeg?x-expires=${nowSeconds - 10}&x-signature=demo`;
    cdn.routes.set(`${TIKTOK}${expired}`, image(fakeJpeg(500)));
    const { options } = setup();
    const res = await imageProxy(proxyRequest(`https://${TIKTOK}${expired}`), options);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("expires")).toBeNull();
    await res.arrayBuffer();

    cdn.routes.set(`${TIKTOK}/b.jpeg`, image(fakeJpeg(500), { "cache-control": "no-store" }));
    const noStore = await imageProxy(proxyRequest(`https://${TIKTOK}/b.jpeg`), options);
    expect(noStore.headers.get("cache-control")).toBe("no-store");
    await noStore.arrayBuffer();
  });

  it("upgrades a plain-http YouTube channel thumbnail to https and caches it for maxAgeSeconds", async () => {
    const path = "/demoAvatar=s176-c-k-c0x00ffffff-no-rj-mo";
    cdn.routes.set(`${YOUTUBE}${path}`, image(fakeJpeg(2000)));
    const { options } = setup({ maxAgeSeconds: 3600 });
    const res = await imageProxy(proxyRequest(`http://${YOUTUBE}${path}`), options);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=3600");
    expect((await res.arrayBuffer()).byteLength).toBe(2000);
    expect(cdn.received.map((r) => r.target)).toEqual([`${YOUTUBE}${path}`]);
  });

  it("buffers an image of unknown length (chunked) and answers it with its real length", async () => {
    const bytes = fakeJpeg(300_000);
    cdn.routes.set(`${TIKTOK}/chunked.webp`, (_req, res) => {
      res.writeHead(200, { "content-type": "image/webp" });
      for (let i = 0; i < bytes.length; i += 64_000) res.write(bytes.subarray(i, i + 64_000));
      res.end();
    });
    const { options } = setup();
    const res = await imageProxy(proxyRequest(`https://${TIKTOK}/chunked.webp`), options);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/webp");
    expect(res.headers.get("content-length")).toBe(String(bytes.length));
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it("follows an allowed redirect, checking the new host too, and caches by the earliest expiry of the chain", async () => {
    const first = `/avatar.jpeg?x-expires=${nowSeconds + 9000}`;
    const second = `/moved.jpeg?oe=${Math.floor(nowSeconds + 300).toString(16)}`;
    cdn.routes.set(`${TIKTOK}${first}`, (_req, res) => res.writeHead(302, { location: `https://${INSTAGRAM}${second}` }).end());
    cdn.routes.set(`${INSTAGRAM}${second}`, image(fakeJpeg(700)));
    const { options, lookups } = setup();
    const res = await imageProxy(proxyRequest(`https://${TIKTOK}${first}`), options);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=300");
    expect((await res.arrayBuffer()).byteLength).toBe(700);
    expect(lookups).toEqual([TIKTOK, INSTAGRAM]);
  });

  it("passes only the browser's validators upstream and answers the upstream's 304 with fresh cache headers", async () => {
    const path = `/v.jpeg?x-expires=${nowSeconds + 120}`;
    cdn.routes.set(`${TIKTOK}${path}`, (req, res) => {
      if (req.headers["if-none-match"] === '"v7"') res.writeHead(304, { etag: '"v7"' }).end();
      else image(fakeJpeg(300), { etag: '"v7"' })(req, res);
    });
    const { options } = setup();
    const first = await imageProxy(proxyRequest(`https://${TIKTOK}${path}`), options);
    expect(first.status).toBe(200);
    expect(first.headers.get("etag")).toBe('"v7"');
    await first.arrayBuffer();
    const again = await imageProxy(proxyRequest(`https://${TIKTOK}${path}`, { headers: { "if-none-match": '"v7"', cookie: "a=b" } }), options);
    expect(again.status).toBe(304);
    expect(again.headers.get("etag")).toBe('"v7"');
    expect(again.headers.get("cache-control")).toBe("public, max-age=120");
    expect(again.body).toBeNull();
    expect(cdn.received[1]?.headers["if-none-match"]).toBe('"v7"');
    expect(cdn.received[1]?.headers.cookie).toBeUndefined();
  });

  it("answers HEAD with the headers and no body", async () => {
    cdn.routes.set(`${TIKTOK}/h.png`, image(fakeJpeg(1234), { "content-type": "image/png" }));
    const { options } = setup();
    const res = await imageProxy(proxyRequest(`https://${TIKTOK}/h.png`, { method: "HEAD" }), options);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("content-length")).toBe("1234");
    expect(res.body).toBeNull();
  });

  it("errors the stream instead of passing more bytes than a (lying) declared length allowed", async () => {
    const { options } = setup({
      maxBytes: 1000,
      fetchUpstream: async () =>
        new Response(new Blob([new Uint8Array(fakeJpeg(5000))]).stream(), { status: 200, headers: { "content-type": "image/jpeg", "content-length": "900" } }),
    });
    const res = await imageProxy(proxyRequest(`https://${TIKTOK}/liar.jpg`), options);
    expect(res.status).toBe(200);
    await expect(res.arrayBuffer()).rejects.toThrow(/larger than 1000 bytes/);
  });
});

describe("imageProxy mounted on the handler (http.imageProxy)", () => {
  it("serves GET /api/proxy/image through cs.handler, streaming the image unchanged", async () => {
    const bytes = fakeJpeg(20_000);
    const path = `/avatar.jpeg?x-expires=${nowSeconds + 60}`;
    cdn.routes.set(`${TIKTOK}${path}`, image(bytes));
    const { options } = setup();
    const cs = createCreatorSearch({
      storage: memoryStorage(),
      queue: memoryQueue(),
      platforms: [tiktok({ apiKey: "unused" })],
      http: { authenticate: devAuth({ env: {} }), imageProxy: (request) => imageProxy(request, options) },
    });
    try {
      const url = `http://app.test/api/proxy/image?url=${encodeURIComponent(`https://${TIKTOK}${path}`)}`;
      const res = await cs.handler(new Request(url, { headers: { "x-user-id": "user_1" } }));
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("image/jpeg");
      expect(res.headers.get("cache-control")).toBe("public, max-age=60");
      expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
      const refused = await cs.handler(new Request(`http://app.test/api/proxy/image?url=${encodeURIComponent("https://10.0.0.1/a.jpg")}`, { headers: { "x-user-id": "user_1" } }));
      expect(refused.status).toBe(403);
      await refused.arrayBuffer();
    } finally {
      await cs.close();
    }
  });
});

describe("pinnedHttpsFetch", () => {
  it("connects to the given address without any DNS query, and still verifies the certificate for the host name", async () => {
    cdn.routes.set(`${TIKTOK}/pin.jpg`, image(fakeJpeg(10)));
    const request = (host: string) => ({
      url: new URL(`https://${host}/pin.jpg`),
      address: { address: "127.0.0.1", family: 4 as const },
      headers: {},
      signal: AbortSignal.timeout(5000),
      connectTimeoutMs: 2000,
    });
    const res = await pinnedHttpsFetch(request(TIKTOK), { port: cdn.port, ca: cdn.cert });
    expect(res.status).toBe(200);
    expect((await res.arrayBuffer()).byteLength).toBe(10);
    // The certificate does not cover this name: TLS must fail even though the socket connected.
    await expect(pinnedHttpsFetch(request("images.example.org"), { port: cdn.port, ca: cdn.cert })).rejects.toThrow(/altnames|certificate/i);
    // Without the test CA, the self-signed certificate is refused.
    await expect(pinnedHttpsFetch(request(TIKTOK), { port: cdn.port })).rejects.toThrow(/certificate/i);
  });
});

describe("urlExpiry", () => {
  it("reads TikTok x-expires (decimal seconds) and Instagram oe (hex seconds), ignoring malformed values", () => {
    expect(urlExpiry(new URL("https://a.tiktokcdn.com/x?x-expires=1727000000&x-signature=s"))?.toISOString()).toBe("2024-09-22T10:13:20.000Z");
    expect(urlExpiry(new URL("https://a.cdninstagram.com/x?oe=6799C629"))?.getTime()).toBe(0x6799c629 * 1000);
    expect(urlExpiry(new URL("https://a.cdninstagram.com/x?oe=zz"))).toBeUndefined();
    expect(urlExpiry(new URL("https://a.tiktokcdn.com/x?x-expires=soon"))).toBeUndefined();
    expect(urlExpiry(new URL("https://i.ytimg.com/vi/x/hq720.jpg?sqp=demo"))).toBeUndefined();
  });
});
