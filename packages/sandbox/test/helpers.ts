import type { PageContext, PlatformPage } from "@creatorsearch/core";
import { tiktok } from "@creatorsearch/core";
import { startSandboxServer, type SandboxServer, type SandboxServerOptions } from "../src/index.js";

/** Servers started by a test file, closed by {@link closeAll}. */
const servers: SandboxServer[] = [];

export async function serve(options: SandboxServerOptions = {}): Promise<SandboxServer> {
  const server = await startSandboxServer({ port: 0, ...options });
  servers.push(server);
  return server;
}

export async function closeAll(): Promise<void> {
  await Promise.all(servers.splice(0).map((s) => s.close()));
}

/** GET `path` on `baseUrl` with an `x-api-key` (none when `key` is null). */
export async function get(baseUrl: string, path: string, key: string | null = "test-key"): Promise<{ status: number; headers: Headers; text: string; body: any }> {
  const res = await fetch(`${baseUrl}${path}`, { headers: key === null ? {} : { "x-api-key": key } });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: JSON.parse(text) };
}

/** A keyword-search path. */
export const keywordPath = (query: string, cursor?: number | null, extra = "") =>
  `/v1/tiktok/search/keyword?query=${encodeURIComponent(query)}${cursor != null ? `&cursor=${cursor}` : ""}${extra}`;

/** Pages through a whole keyword search; returns every raw page body. */
export async function allPages(baseUrl: string, query: string, key = "test-key"): Promise<any[]> {
  const pages: any[] = [];
  let cursor: number | null = 0;
  while (cursor !== null) {
    const { body } = await get(baseUrl, keywordPath(query, cursor), key);
    pages.push(body);
    cursor = body.has_more ? body.cursor : null;
    if (pages.length > 10_000) throw new Error("runaway paging");
  }
  return pages;
}

/** The aweme of a search item (wrapped or trimmed). */
export const awemeOf = (item: any) => item.aweme_info ?? item;

/** Parses a raw page with core's TikTok adapter: its zod schema and normalizer. */
export function parseWithCore(raw: unknown, keyword: string): PlatformPage {
  const adapter = tiktok({ apiKey: "unused", baseUrl: "http://127.0.0.1:1" });
  const context = { job: {}, chain: { input: keyword, cursor: null } } as unknown as PageContext;
  return adapter.parsePage(raw, context);
}
