import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ImageProxyOptions, imageProxy } from "../src/index.js";

/*
 * Thousands of random and hostile `url` values: every one must be refused with a 4xx JSON answer,
 * quickly, and none may reach the network. The resolver answers a private address for every name,
 * so even an allowed CDN host name ends in a 403 before any connection.
 */
function sealedOptions() {
  const seen = { lookups: 0, connections: 0 };
  const options: ImageProxyOptions = {
    resolveHost: async () => {
      seen.lookups++;
      return [{ address: "10.0.0.1", family: 4 }];
    },
    fetchUpstream: async () => {
      seen.connections++;
      throw new Error("must not connect");
    },
    timeoutMs: 2_000,
  };
  return { options, seen };
}

const octet = fc.integer({ min: 0, max: 255 });
/** IPv4 addresses in the notations URL parsers and resolvers accept: dotted, decimal, octal, hex, short. */
const ipv4Forms = fc.tuple(octet, octet, octet, octet, fc.constantFrom("dotted", "decimal", "octal", "hex", "short", "mixed")).map(([a, b, c, d, form]) => {
  const n = ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;
  switch (form) {
    case "decimal":
      return String(n);
    case "octal":
      return [a, b, c, d].map((x) => `0${x.toString(8)}`).join(".");
    case "hex":
      return `0x${n.toString(16)}`;
    case "short":
      return `${a}.${(b << 16) + (c << 8) + d}`;
    case "mixed":
      return `0x${a.toString(16)}.0${b.toString(8)}.${c}.${d}`;
    default:
      return `${a}.${b}.${c}.${d}`;
  }
});
const host = fc.oneof(
  ipv4Forms,
  fc.ipV6().map((ip) => `[${ip}]`),
  fc.ipV4().map((ip) => `[::ffff:${ip}]`),
  fc.constantFrom("localhost", "localhost.", "LOCALHOST", "metadata.google.internal", "tiktokcdn.com.evil.test", "0", "[::]"),
  fc.domain(),
  fc.domain().map((d) => `${d}.tiktokcdn.com`),
  fc.domain().map((d) => `${d.split(".")[0]}.cdninstagram.com`),
);
const hostileUrl = fc
  .tuple(
    fc.constantFrom("https://", "http://", "HTTPS://", "ftp://", "file://", "gopher://", "//", "https:/", "https:\\\\", ""),
    fc.option(fc.constantFrom("user:pass@", "p16-sign-va.tiktokcdn.com@", "@"), { nil: "" }),
    host,
    fc.option(fc.constantFrom(":443", ":80", ":8080", ":0", ":99999", ":"), { nil: "" }),
    fc.webPath(),
    fc.option(fc.webQueryParameters().map((q) => `?${q}`), { nil: "" }),
  )
  .map((parts) => parts.join(""));
/** Well-formed URLs on allowed CDN hosts: these pass the URL policy and reach the address check. */
const cdnUrl = fc
  .tuple(fc.domain(), fc.constantFrom("tiktokcdn.com", "tiktokcdn-us.com", "cdninstagram.com", "fna.fbcdn.net", "ytimg.com", "ggpht.com"), fc.webPath(), fc.webQueryParameters())
  .map(([name, suffix, path, query]) => `https://${name}.${suffix}${path}?${query}`);
const anyUrlValue = fc.oneof(cdnUrl, hostileUrl, fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.string({ maxLength: 300 }), fc.string({ unit: "binary", maxLength: 300 }));

describe("imageProxy fuzz", () => {
  it("refuses thousands of random and hostile url values with a 4xx, without connecting anywhere", async () => {
    const { options, seen } = sealedOptions();
    await fc.assert(
      fc.asyncProperty(anyUrlValue, async (value) => {
        const res = await imageProxy(new Request(`http://app.test/api/proxy/image?url=${encodeURIComponent(value)}`), options);
        expect(res.status, value).toBeGreaterThanOrEqual(400);
        expect(res.status, value).toBeLessThan(500);
        expect(res.headers.get("cache-control")).toBe("no-store");
        const body = (await res.json()) as { error: unknown };
        expect(typeof body.error).toBe("string");
      }),
      { numRuns: 3000 },
    );
    expect(seen.connections).toBe(0);
    // The generators do produce allowed CDN names, so the address check itself was exercised.
    expect(seen.lookups).toBeGreaterThan(300);
  });

  it("answers raw, malformed query strings and methods with a 4xx", async () => {
    const { options, seen } = sealedOptions();
    const method = fc.constantFrom("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: "binary-ascii", maxLength: 400 }), method, async (query, verb) => {
        let request: Request;
        try {
          request = new Request(`http://app.test/api/proxy/image?${query}`, { method: verb });
        } catch {
          return; // Not even a request a server could receive.
        }
        const res = await imageProxy(request, options);
        expect(res.status, `${verb} ?${query}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `${verb} ?${query}`).toBeLessThan(500);
        await res.arrayBuffer();
      }),
      { numRuns: 2000 },
    );
    expect(seen.connections).toBe(0);
  });
});
