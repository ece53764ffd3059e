/**
 * `creatorsearch sandbox --page-kb`: the served answers have the real API's size, so a search
 * pointed at it stores and holds pages as big as production ones.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { cleanEnv, cliNodeArgs } from "./support/run-cli.js";

let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill("SIGTERM");
  child = undefined;
});

/** Starts `creatorsearch sandbox` with `args` and resolves with its banner and URL. */
async function startSandbox(args: string[]): Promise<{ url: string; banner: string; exited: Promise<number | null>; stderr: () => string }> {
  const proc = spawn(process.execPath, cliNodeArgs(["sandbox", "--port", "0", ...args]), { env: cleanEnv(), stdio: ["ignore", "pipe", "pipe"] });
  child = proc;
  let out = "";
  let err = "";
  proc.stderr!.on("data", (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => proc.once("close", resolve));
  const url = await new Promise<string>((resolve, reject) => {
    proc.stdout!.on("data", (d) => {
      out += d;
      const match = /listening on (http:\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    proc.once("close", (code) => reject(new Error(`sandbox exited ${code}: ${err}`)));
  });
  return { url, banner: out, exited, stderr: () => err };
}

const pageBytes = async (url: string) => {
  const res = await fetch(`${url}/v1/tiktok/search/keyword?query=soup&cursor=30`, { headers: { "x-api-key": "sandbox" } });
  expect(res.status).toBe(200);
  const text = await res.text();
  return { bytes: text.length, items: (JSON.parse(text) as { search_item_list: unknown[] }).search_item_list.length };
};

describe("creatorsearch sandbox --page-kb", () => {
  it("serves real-size pages with --page-kb 1800, compact ones without", async () => {
    const real = await startSandbox(["--page-kb", "1800"]);
    expect(real.banner).toMatch(/real-size answers: ~1800 KB per TikTok keyword page/);
    const big = await pageBytes(real.url);
    expect(big.bytes / ((1800 * 1024 * big.items) / 30)).toBeGreaterThan(0.95);
    expect(big.bytes / ((1800 * 1024 * big.items) / 30)).toBeLessThan(1.05);
    child!.kill("SIGTERM");
    expect(await real.exited).toBe(0);
    expect(real.stderr()).toBe("");

    const compact = await startSandbox([]);
    expect(compact.banner).not.toMatch(/real-size/);
    expect((await pageBytes(compact.url)).bytes).toBeLessThan(big.bytes / 5);
  });
});
