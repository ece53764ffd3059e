/**
 * The sandbox API of `bench/http-polling.ts`, in a process of its own, prints `READY <url>` and
 * runs until killed.
 *
 * ScrapeCreators builds its pages on its own machines; here the sandbox shares the bench's two
 * cores with the server under test, and building a keyword page costs it ~7 ms of CPU (about a
 * third of what the server spends on the page). So the keyword pages of the bench's queries
 * (`bench topic 0` .. `bench topic <jobs - 1>`) are built once, before `READY`, and served from
 * memory during the run, each still taking `latencyMs` like a remote API. Any other request is
 * answered by the sandbox as usual.
 */
import { createSandbox, startSandboxServer } from "@creatorsearch/sandbox";
import type { Sandbox } from "@creatorsearch/sandbox";

const [latencyMs, resultsPerQuery, jobs] = process.argv.slice(2).map(Number) as [number, number, number];
const KEYWORD_PATH = "/v1/tiktok/search/keyword";
// Built without latency; the wrapper below waits it out.
const sandbox = createSandbox({ resultsPerQuery });

interface Built {
  status: number;
  headers: [string, string][];
  body: ArrayBuffer;
}
const built = new Map<string, Built>();
const keyOf = (query: string | null, cursor: string | null) => `${query}\u0000${cursor ?? "0"}`;

for (let i = 0; i < jobs; i++) {
  const query = `bench topic ${i}`;
  let cursor: string | null = "0";
  while (cursor !== null) {
    const url = `http://sandbox${KEYWORD_PATH}?query=${encodeURIComponent(query)}&cursor=${cursor}`;
    const response = await sandbox.fetch(new Request(url, { headers: { "x-api-key": "bench" } }));
    const body = await response.arrayBuffer();
    built.set(keyOf(query, cursor), { status: response.status, headers: [...response.headers], body });
    const page = JSON.parse(new TextDecoder().decode(body)) as { cursor?: number | null; has_more?: number | boolean };
    cursor = response.ok && page.has_more && page.cursor != null ? String(page.cursor) : null;
  }
}

let hits = 0;
let misses = 0;
const served: Sandbox = {
  ...sandbox,
  async fetch(request) {
    const started = performance.now();
    const url = new URL(request.url);
    const page = url.pathname === KEYWORD_PATH ? built.get(keyOf(url.searchParams.get("query"), url.searchParams.get("cursor"))) : undefined;
    if (page) hits++;
    else misses++;
    const response = page ? new Response(page.body, { status: page.status, headers: page.headers }) : await sandbox.fetch(request);
    await new Promise((r) => setTimeout(r, Math.max(0, latencyMs - (performance.now() - started))));
    return response;
  },
};

const server = await startSandboxServer({ port: 0, sandbox: served });
console.log(`READY ${server.url}`);
const stop = async () => {
  if (process.env.HTTP_BENCH_DEBUG) console.error(`[sandbox] ${built.size} pages built; ${hits} requests served from them, ${misses} built on demand`);
  await server.close();
  process.exit(0);
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
