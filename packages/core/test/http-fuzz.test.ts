import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { ORIGIN, finishedJob, httpInstance } from "./http-helpers.js";
import { httpStorages } from "./http-storages.js";

/*
 * Thousands of random and malformed requests per route: the answer is always below 500 and
 * always arrives. Real ids are mixed in so the generators also reach past the 404s.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
// Real databases see the generated strings too (NUL, lone surrogates, huge numbers): fewer runs each.
const DB_RUNS = Number(process.env.FUZZ_DB_RUNS ?? 250);
const storages = await httpStorages("http-fuzz");
afterAll(async () => {
  for (const storage of storages) await storage.cleanup();
});

const junkString = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: "binary", maxLength: 40 }), fc.constantFrom("", "%", "%00", "%E0%A4%A", "..", "\u0000", "a/b", "?x=1"));
const idLike = fc.oneof(junkString, fc.constant("__campaign__"), fc.constant("__job__"));
const jsonish = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.record({ name: fc.jsonValue({ maxDepth: 2 }), description: fc.jsonValue({ maxDepth: 2 }), searchType: fc.jsonValue({ maxDepth: 1 }), platforms: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: [] }),
  fc.record(
    {
      campaignId: fc.oneof(fc.constant("__campaign__"), fc.jsonValue({ maxDepth: 1 })),
      keywords: fc.oneof(fc.array(fc.string({ maxLength: 120 }), { maxLength: 25 }), fc.jsonValue({ maxDepth: 2 })),
      targetHandle: fc.jsonValue({ maxDepth: 1 }),
      targetResults: fc.oneof(fc.integer(), fc.double(), fc.jsonValue({ maxDepth: 1 })),
      mode: fc.jsonValue({ maxDepth: 1 }),
      maxApiCalls: fc.jsonValue({ maxDepth: 1 }),
    },
    { requiredKeys: [] },
  ),
);
const body = fc.oneof(
  jsonish.map((v) => JSON.stringify(v) ?? ""),
  fc.string({ maxLength: 200 }),
  fc.string({ unit: "binary", maxLength: 200 }),
  fc.uint8Array({ maxLength: 300 }),
  fc.constant("x".repeat(5000)),
  fc.constant(""),
);
const contentType = fc.constantFrom(undefined, "application/json", "application/json; charset=utf-8", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/vnd.api+json", "garbage");
const query = fc.dictionary(fc.oneof(fc.constantFrom("jobId", "after", "limit", "offset", "includeArchived", "url"), fc.string({ maxLength: 10 })), fc.oneof(junkString, idLike, fc.integer().map(String)), { maxKeys: 5 });

const routes: [string, string, (id: string) => string][] = [
  ["POST", "campaigns", () => "/api/campaigns"],
  ["GET", "campaigns", () => "/api/campaigns"],
  ["GET", "campaign", (id) => `/api/campaigns/${id}`],
  ["POST", "scraping", (id) => `/api/scraping/${id.length % 3 ? "scripted" : id}`],
  ["GET", "scraping", () => "/api/scraping/scripted"],
  ["GET", "events", (id) => `/api/jobs/${id}/events`],
  ["GET", "export", (id) => `/api/jobs/${id}/export.csv`],
  ["POST", "cancel", (id) => `/api/jobs/${id}/cancel`],
  ["POST", "webhook", () => "/api/qstash/process-scraping"],
  ["GET", "image proxy", () => "/api/proxy/image"],
];

function resolveIds(ids: { campaignId: string; jobId: string }, text: string) {
  return text.replaceAll("__campaign__", ids.campaignId).replaceAll("__job__", ids.jobId);
}

type Instance = ReturnType<typeof httpInstance> & { ids: { campaignId: string; jobId: string } };

async function send(
  { cs, ids }: Instance,
  method: string,
  path: string,
  search: Record<string, string>,
  payload: string | Uint8Array,
  type: string | undefined,
  user: string | undefined,
) {
  const url = new URL(`${ORIGIN}${path.split("?")[0]}`);
  url.pathname = url.pathname; // keep the encoded form
  for (const [k, v] of Object.entries(search)) url.searchParams.append(k, resolveIds(ids, v));
  const headers: Record<string, string> = {};
  if (type) headers["content-type"] = type;
  if (user !== undefined) headers["x-user-id"] = user;
  const request = new Request(url, { method, headers, ...(method === "POST" ? { body: (typeof payload === "string" ? resolveIds(ids, payload) : payload) as BodyInit } : {}) });
  const answer = (async () => {
    const response = await cs.handler(request);
    // Event streams of real jobs end when the job ends; read a little and let go.
    if (response.headers.get("content-type")?.startsWith("text/event-stream")) await response.body?.cancel();
    else await response.arrayBuffer();
    return response.status;
  })();
  return Promise.race([answer, new Promise<number>((resolve) => setTimeout(() => resolve(-1), 5000))]);
}

describe.each(storages)("fuzzing every route on $name storage", (storage) => {
  const instance: Instance = { ...httpInstance({ maxBodyBytes: 4096 }, { soup: [["a", "b"], ["c"]] }, storage.create()), ids: { campaignId: "", jobId: "" } };
  const runs = storage.name === "memory" ? RUNS : DB_RUNS;
  afterAll(() => instance.cs.close());

  it("sets up a real campaign and job to aim at", async () => {
    Object.assign(instance.ids, await finishedJob(instance.cs, "alice", { keywords: ["soup"], targetResults: 100 }));
  });

  for (const [method, name, path] of routes) {
    it(`${method} ${name}: random bodies, queries and ids never get a 5xx or hang`, async () => {
      const statuses = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(idLike, query, body, contentType, fc.constantFrom("alice", "bob", undefined, "", "a b"), async (id, search, payload, type, user) => {
          const segment = encodeURIComponent(resolveIds(instance.ids, id)).replaceAll("%2F", "/") || "x";
          const status = await send(instance, method, path(segment), search, payload, type, user);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          expect(status).toBeGreaterThanOrEqual(200);
          expect(status).toBeLessThan(500);
        }),
        { numRuns: runs },
      );
      // The generators must reach past authentication and into the routes' own checks.
      // (The webhook is public and this instance's memory queue takes no HTTP deliveries: 404 is its answer.)
      if (name !== "webhook") expect([...statuses.keys()].some((s) => s !== 401 && s !== 404)).toBe(true);
    }, 120_000);
  }
});
