import { imageProxy } from "@creatorsearch/core";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { drawAvatar, sandboxImageUpstream } from "../lib/server/sandbox-images";

const proxied = (url: string) => new Request(`http://app.test/api/proxy/image?url=${encodeURIComponent(url)}`);
const AVATAR = "https://p16-sign-va.tiktokcdn.com/tos-maliva-avt-0068/abc~c5_720x720.jpeg?x-expires=4102444800&x-signature=x";

describe("sandbox avatars through the image proxy", () => {
  it("draws a deterministic 96x96 PNG per URL path", () => {
    const a = drawAvatar("/a.jpeg");
    expect(a.equals(drawAvatar("/a.jpeg"))).toBe(true);
    expect(a.equals(drawAvatar("/b.jpeg"))).toBe(false);
    const png = PNG.sync.read(a);
    expect([png.width, png.height]).toEqual([96, 96]);
  });

  it("serves a sandbox CDN URL as image/png with the proxy's cache policy", async () => {
    const res = await imageProxy(proxied(AVATAR), sandboxImageUpstream());
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("cache-control")).toMatch(/^public, max-age=\d+$/);
    expect(PNG.sync.read(Buffer.from(await res.arrayBuffer())).width).toBe(96);
  });

  it("keeps every refusal of the proxy policy", async () => {
    const options = sandboxImageUpstream();
    for (const [url, status] of [
      ["https://169.254.169.254/latest/meta-data/", 403],
      ["https://localhost/avatar.jpg", 403],
      ["https://evil.example.com/a.png", 403],
      ["http://p16-sign-va.tiktokcdn.com/a.jpeg", 400],
      ["https://user:pw@p16-sign-va.tiktokcdn.com/a.jpeg", 400],
    ] as const) {
      const res = await imageProxy(proxied(url), options);
      expect([url, res.status]).toEqual([url, status]);
      await res.arrayBuffer();
    }
  });
});
