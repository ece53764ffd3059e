import { createHash } from "node:crypto";
import type { ImageProxyOptions } from "@creatorsearch/core";
import { PNG } from "pngjs";

/**
 * The sandbox's creators have avatar URLs on the real CDN host names, signed and expiring like
 * the real ones, but nothing serves them. In sandbox mode the image proxy keeps every check of
 * its policy (https, CDN allow-list, no IPs, size, type, cache lifetime) and only its last hop
 * is replaced: instead of connecting to the CDN, the "upstream" draws a deterministic avatar
 * for the URL. Never used with a real API key.
 */
export function sandboxImageUpstream(): Pick<ImageProxyOptions, "resolveHost" | "fetchUpstream"> {
  return {
    // Any public unicast address passes the address check; nothing ever connects to it.
    resolveHost: async () => [{ address: "151.101.0.1", family: 4 }],
    fetchUpstream: async ({ url }) => {
      const png = drawAvatar(url.pathname);
      return new Response(new Uint8Array(png), {
        status: 200,
        headers: { "content-type": "image/png", "content-length": String(png.length), "cache-control": "max-age=3600" },
      });
    },
  };
}

const SIZE = 96;
const CELLS = 6;

/** A 96×96 PNG identicon: a mirrored 6×6 grid in a colour, both derived from `seed`. */
export function drawAvatar(seed: string): Buffer {
  const hash = createHash("sha256").update(seed).digest();
  const hue = (hash[0]! / 255) * 360;
  const [r, g, b] = hslToRgb(hue, 0.55, 0.55);
  const png = new PNG({ width: SIZE, height: SIZE });
  const cell = SIZE / CELLS;
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const cx = Math.floor(x / cell);
      const cy = Math.floor(y / cell);
      const mirrored = cx < CELLS / 2 ? cx : CELLS - 1 - cx;
      const on = (hash[1 + cy * (CELLS / 2) + mirrored]! & 1) === 1;
      const i = (y * SIZE + x) * 4;
      png.data[i] = on ? r : 240;
      png.data[i + 1] = on ? g : 240;
      png.data[i + 2] = on ? b : 240;
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

function hslToRgb(h: number, s: number, l: number): [number, number, number] {
  const k = (n: number) => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => l - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
  return [Math.round(f(0) * 255), Math.round(f(8) * 255), Math.round(f(4) * 255)];
}
