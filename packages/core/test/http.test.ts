import { SignJWT } from "jose";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigurationError, CSV_COLUMNS, StorageError, StorageUnavailableError, createCreatorSearch, devAuth, memoryQueue, memoryStorage, supabaseAuth, toNextHandler } from "../src/index.js";
import { scriptedPlatform } from "./helpers.js";
import { ORIGIN, caller, finishedJob, httpInstance } from "./http-helpers.js";

const instances: { cs: { close(): Promise<void> } }[] = [];
const open = (...args: Parameters<typeof httpInstance>) => {
  const instance = httpInstance(...args);
  instances.push(instance);
  return instance;
};
afterEach(async () => {
  await Promise.all(instances.splice(0).map((i) => i.cs.close()));
});

describe("campaign routes", () => {
  it("creates, lists and reads campaigns of the signed-in user", async () => {
    const { call } = open();
    const created = await call("POST", "/api/campaigns", { body: { name: "Fall soups", description: "cozy", searchType: "keyword" } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: "Fall soups", description: "cozy", searchType: "keyword", status: "draft", userId: "alice" });
    const list = await call("GET", "/api/campaigns");
    expect(list.json.campaigns.map((c: { id: string }) => c.id)).toEqual([created.json.id]);
    const one = await call("GET", `/api/campaigns/${created.json.id}`);
    expect(one.json).toMatchObject({ id: created.json.id, jobs: [] });
    expect((await call("GET", "/api/campaigns", { user: "bob" })).json.campaigns).toEqual([]);
  });

  it("answers 400 with the field and the reason", async () => {
    const { call } = open();
    const noName = await call("POST", "/api/campaigns", { body: { description: "x" } });
    expect(noName.status).toBe(400);
    expect(noName.json.issues).toEqual([{ field: "name", reason: expect.any(String) }]);
    const badType = await call("POST", "/api/campaigns", { body: { name: "x", searchType: "telepathy" } });
    expect(badType.json.issues[0].field).toBe("searchType");
    const badLimit = await call("GET", "/api/campaigns?limit=0");
    expect(badLimit.status).toBe(400);
    expect(badLimit.json.issues).toEqual([{ field: "limit", reason: "must be from 1 to 200" }]);
    const nul = await call("POST", "/api/campaigns", { body: { name: "a\u0000b" } });
    expect(nul.json).toMatchObject({ issues: [{ field: "name", reason: "must not contain NUL characters" }] });
  });
});

describe("request hygiene", () => {
  it("refuses bodies that are not JSON objects, too large, or of the wrong type", async () => {
    const { call } = open({ maxBodyBytes: 1000 });
    const cases: [Parameters<ReturnType<typeof caller>>[2], number, string][] = [
      [{ rawBody: "{nope", headers: { "content-type": "application/json" } }, 400, "body"],
      [{ rawBody: "[1,2]", headers: { "content-type": "application/json" } }, 400, "body"],
      [{ rawBody: "null", headers: { "content-type": "application/json" } }, 400, "body"],
      [{ rawBody: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), headers: { "content-type": "application/json" } }, 400, "body"],
      [{ rawBody: "name=x", headers: { "content-type": "application/x-www-form-urlencoded" } }, 415, "content-type"],
      [{ rawBody: "{}" }, 415, "content-type"],
      [{ body: { name: "x".repeat(2000) } }, 413, "body"],
    ];
    for (const [options, status, field] of cases) {
      const answer = await call("POST", "/api/campaigns", options);
      expect([answer.status, answer.json.issues[0]?.field]).toEqual([status, field]);
      expect(answer.json.error).toEqual(expect.any(String));
    }
  });

  it("answers 404 outside the routes, 405 with Allow, 414 for huge URLs, 401 without a user", async () => {
    const { call } = open();
    expect((await call("GET", "/api/nope")).status).toBe(404);
    expect((await call("GET", "/elsewhere/campaigns")).status).toBe(404);
    expect((await call("GET", "/api/%E0%A4%A")).status).toBe(404);
    const wrong = await call("DELETE", "/api/campaigns");
    expect([wrong.status, wrong.headers.get("allow")]).toEqual([405, "POST, GET"]);
    expect((await call("GET", `/api/campaigns?x=${"a".repeat(9000)}`)).status).toBe(414);
    const anonymous = await call("GET", "/api/campaigns", { user: null });
    expect([anonymous.status, anonymous.headers.get("www-authenticate")]).toEqual([401, "Bearer"]);
  });

  it("serves under another base path", async () => {
    const { call } = open({ basePath: "/v1/creators/" });
    expect((await call("GET", "/v1/creators/campaigns")).status).toBe(200);
    expect((await call("GET", "/api/campaigns")).status).toBe(404);
  });
});

describe("scraping routes", () => {
  it("starts a job with the blueprint's body and answers { message, jobId }", async () => {
    const { cs, call } = open();
    const campaign = await call("POST", "/api/campaigns", { body: { name: "c" } });
    const started = await call("POST", "/api/scraping/scripted", { body: { campaignId: campaign.json.id, keywords: ["soup", "stew"], targetResults: 20 } });
    expect(started.status).toBe(202);
    expect(started.json).toEqual({ message: "Scraping job started successfully", jobId: expect.any(String) });
    const job = await cs.jobs.wait("alice", started.json.jobId, { timeoutMs: 10_000 });
    expect(job.keywords).toEqual(["soup", "stew"]);
  });

  it("validates the job body field by field", async () => {
    const { call } = open();
    const campaign = await call("POST", "/api/campaigns", { body: { name: "c" } });
    const cases: [Record<string, unknown>, number, string][] = [
      [{ keywords: ["soup"] }, 400, "campaignId"],
      [{ campaignId: campaign.json.id }, 400, "keywords"],
      [{ campaignId: campaign.json.id, keywords: "soup" }, 400, "keywords"],
      [{ campaignId: campaign.json.id, keywords: ["soup"], targetResults: 0 }, 400, "targetResults"],
      [{ campaignId: campaign.json.id, keywords: ["soup"], targetResults: "100" }, 400, "targetResults"],
      [{ campaignId: campaign.json.id, keywords: Array(21).fill("k").map((k, i) => k + i) }, 400, "keywords"],
    ];
    for (const [body, status, field] of cases) {
      const answer = await call("POST", "/api/scraping/scripted", { body });
      expect([answer.status, answer.json.issues.map((i: { field: string }) => i.field)]).toEqual([status, expect.arrayContaining([field])]);
    }
    expect((await call("POST", "/api/scraping/myspace", { body: { campaignId: campaign.json.id, keywords: ["x"] } })).status).toBe(404);
    expect((await call("POST", "/api/scraping/scripted", { body: { campaignId: "missing", keywords: ["x"] } })).status).toBe(404);
  });

  it("polls in the blueprint's shape, and after= returns only creators added since the cursor", async () => {
    const { cs, call } = open({}, { soup: [["a", "b", "c"], ["c", "d"], ["e"]] });
    const { jobId } = await finishedJob(cs, "alice", { keywords: ["soup"], targetResults: 100 });
    const full = await call("GET", `/api/scraping/scripted?jobId=${jobId}`);
    expect(full.status).toBe(200);
    expect(full.json).toMatchObject({ status: "completed", processedResults: 5, targetResults: 100, error: null, progress: expect.any(Number), hasMore: false });
    const creators = full.json.results.flatMap((r: { creators: unknown[] }) => r.creators);
    expect(creators.map((c: { creator: { handle: string } }) => c.creator.handle)).toEqual(["a", "b", "c", "d", "e"]);
    expect(creators[0]).toMatchObject({ creator: { name: "a", followers: 1000 }, video: { statistics: { likes: 10, views: 100 } }, keywords: ["soup"] });

    const first = await call("GET", `/api/scraping/scripted?jobId=${jobId}&after=0&limit=2`);
    expect(first.json.results[0].creators.map((c: { creator: { handle: string } }) => c.creator.handle)).toEqual(["a", "b"]);
    expect(first.json.hasMore).toBe(true);
    const rest = await call("GET", `/api/scraping/scripted?jobId=${jobId}&after=${first.json.nextCursor}&limit=10`);
    expect(rest.json.results[0].creators.map((c: { creator: { handle: string } }) => c.creator.handle)).toEqual(["c", "d", "e"]);
    const none = await call("GET", `/api/scraping/scripted?jobId=${jobId}&after=${rest.json.nextCursor}`);
    expect([none.json.results, none.json.hasMore, none.json.nextCursor]).toEqual([[], false, rest.json.nextCursor]);

    expect((await call("GET", `/api/scraping/scripted?jobId=${jobId}&after=abc`)).json.issues[0].field).toBe("after");
    expect((await call("GET", "/api/scraping/scripted")).json.issues).toEqual([{ field: "jobId", reason: "is required" }]);
  });

  it("streams the full answer of a large job in chunks, as one valid answer (and answers none at once)", async () => {
    const ids = (from: number) => Array.from({ length: 250 }, (_, i) => `c${from + i}`);
    const { cs, call } = open({}, { soup: [ids(0), ids(250)], none: [[]] });
    const { jobId } = await finishedJob(cs, "alice", { keywords: ["soup"], targetResults: 1000 });
    const full = await call("GET", `/api/scraping/scripted?jobId=${jobId}`);
    expect(full.status).toBe(200);
    expect(full.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const paged = await call("GET", `/api/scraping/scripted?jobId=${jobId}&after=0&limit=1000`);
    expect(full.json.results).toHaveLength(1);
    expect(full.json.results[0].creators).toEqual(paged.json.results[0].creators);
    expect(full.json.results[0].creators).toHaveLength(500);
    expect(full.json).toMatchObject({ status: "completed", processedResults: 500, nextCursor: paged.json.nextCursor, hasMore: false });
    expect(full.json.results[0]).toMatchObject({ id: `${jobId}:${paged.json.nextCursor}`, jobId, createdAt: paged.json.results[0].createdAt });

    const empty = await finishedJob(cs, "alice", { keywords: ["none"], targetResults: 10 });
    const none = await call("GET", `/api/scraping/scripted?jobId=${empty.jobId}`);
    expect([none.json.results, none.json.nextCursor, none.json.hasMore]).toEqual([[], null, false]);
  });

  it("rate-limits job creation per user with 429 and Retry-After", async () => {
    const { call } = open({ rateLimit: { points: 2, durationSeconds: 60 } });
    const campaign = await call("POST", "/api/campaigns", { body: { name: "c" } });
    const start = (user = "alice", campaignId = campaign.json.id) =>
      call("POST", "/api/scraping/scripted", { user, body: { campaignId, keywords: ["x"], targetResults: 1 } });
    expect((await start()).status).toBe(202);
    expect((await start()).status).toBe(202);
    const limited = await start();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    // Another user has their own budget.
    const bobs = await call("POST", "/api/campaigns", { user: "bob", body: { name: "b" } });
    expect((await start("bob", bobs.json.id)).status).toBe(202);
  });
});

describe("job routes", () => {
  it("exports the job's creators as streamed CSV", async () => {
    const { cs, call } = open({}, { soup: [["a", "b"], ["c"]] });
    const { jobId } = await finishedJob(cs, "alice", { keywords: ["soup"], targetResults: 100 });
    const csv = await call("GET", `/api/jobs/${jobId}/export.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("content-disposition")).toBe(`attachment; filename="creators-${jobId}.csv"`);
    const lines = csv.text.trim().split("\n");
    expect(lines[0]).toBe(CSV_COLUMNS.join(","));
    expect(lines.slice(1).map((l) => l.split(",")[1])).toEqual(["a", "b", "c"]);
  });

  it("streams progress events until the job ends", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { platform } = scriptedPlatform({ soup: [["a", "b"], ["c"], ["d"]] }, { gate });
    const cs = createCreatorSearch({
      storage: memoryStorage(),
      queue: memoryQueue(),
      platforms: [platform],
      recoverIntervalMs: 0,
      http: { authenticate: devAuth(), events: { pollMs: 30 } },
    });
    instances.push({ cs });
    const call = caller(cs);
    const campaign = await call("POST", "/api/campaigns", { body: { name: "c" } });
    const { json } = await call("POST", "/api/scraping/scripted", { body: { campaignId: campaign.json.id, keywords: ["soup"], targetResults: 100 } });
    const response = await cs.handler(new Request(`${ORIGIN}/api/jobs/${json.jobId}/events`, { headers: { "x-user-id": "alice" } }));
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    release();
    const text = await response.text(); // ends when the stream closes
    const events = [...text.matchAll(/event: (\w+)\nid: \d+\ndata: (.+)\n\n/g)].map((m) => ({ event: m[1], data: JSON.parse(m[2]!) }));
    expect(events[0]).toMatchObject({ event: "progress", data: { jobId: json.jobId } });
    expect(events.at(-1)).toMatchObject({ event: "end", data: { status: "completed", processedResults: 4, stopReason: "exhausted" } });
    expect(events.filter((e) => e.event === "end")).toHaveLength(1);
    const counts = events.map((e) => e.data.processedResults);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
  });

  it("stops the event stream when the client goes away", async () => {
    const { cs, call } = open({}, {});
    const campaign = await call("POST", "/api/campaigns", { body: { name: "c" } });
    // A job that never ends on its own: the scripted keyword pages forever, target far away.
    const { json } = await call("POST", "/api/scraping/scripted", { body: { campaignId: campaign.json.id, keywords: ["zzz"], targetResults: 10_000, maxApiCalls: 40 } });
    const abort = new AbortController();
    const response = await cs.handler(new Request(`${ORIGIN}/api/jobs/${json.jobId}/events`, { headers: { "x-user-id": "alice" }, signal: abort.signal }));
    const reader = response.body!.getReader();
    await reader.read();
    abort.abort();
    const end = await Promise.race([
      (async () => {
        for (;;) if ((await reader.read()).done) return "closed";
      })(),
      new Promise((resolve) => setTimeout(() => resolve("hung"), 3000)),
    ]);
    expect(end).toBe("closed");
    expect(cs.events.listenerCount("job.progress")).toBe(0);
    await cs.jobs.cancel("alice", json.jobId);
  });

  it("cancels a running job and leaves a finished one alone", async () => {
    const { cs, call } = open({}, {});
    const campaign = await call("POST", "/api/campaigns", { body: { name: "c" } });
    const { json } = await call("POST", "/api/scraping/scripted", { body: { campaignId: campaign.json.id, keywords: ["zzz"], targetResults: 10_000, maxApiCalls: 40 } });
    const cancelled = await call("POST", `/api/jobs/${json.jobId}/cancel`);
    expect(cancelled.json).toMatchObject({ jobId: json.jobId, status: "cancelled", stopReason: "cancelled" });
    expect((await call("POST", `/api/jobs/${json.jobId}/cancel`)).json.status).toBe("cancelled");
    expect((await cs.jobs.wait("alice", json.jobId, { timeoutMs: 5000 })).status).toBe("cancelled");
  });
});

describe("webhook and image proxy routes", () => {
  it("hands webhook deliveries to the queue without asking for a user", async () => {
    const { call } = open();
    const answer = await call("POST", "/api/qstash/process-scraping", { user: null, body: { jobId: "x", chain: "k0", step: 0 } });
    // The memory queue is a pull queue: the engine says so instead of running anything.
    expect(answer.status).toBe(404);
    expect(answer.json.error).toMatch(/does not take HTTP deliveries/);
  });

  it("serves the safe image proxy by default, 501 when turned off, and a custom one when given", async () => {
    const refused = await open().call("GET", "/api/proxy/image?url=http://169.254.169.254/latest/meta-data");
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    expect((await open({ imageProxy: false }).call("GET", "/api/proxy/image?url=https://x")).status).toBe(501);
    const { call } = open({
      imageProxy: async (request) => new Response(new URL(request.url).searchParams.get("url"), { headers: { "content-type": "image/svg+xml" } }),
    });
    const answer = await call("GET", "/api/proxy/image?url=https://p16-sign.tiktokcdn.com/a.jpeg");
    expect([answer.status, answer.text]).toEqual([200, "https://p16-sign.tiktokcdn.com/a.jpeg"]);
    expect((await call("GET", "/api/proxy/image?url=x", { user: null })).status).toBe(401);
  });
});

describe("mounts and configuration", () => {
  it("toNextHandler serves GET and POST through the same handler", async () => {
    const { cs } = open();
    const { GET, POST } = toNextHandler(cs);
    const created = await POST(new Request(`${ORIGIN}/api/campaigns`, { method: "POST", headers: { "x-user-id": "u", "content-type": "application/json" }, body: '{"name":"n"}' }));
    expect(created.status).toBe(201);
    const list = await GET(new Request(`${ORIGIN}/api/campaigns`, { headers: { "x-user-id": "u" } }));
    expect((await list.json()).campaigns).toHaveLength(1);
    expect(cs.fetch).toBe(cs.handler);
  });

  it("requires authenticate, and cs.handler without http explains itself", async () => {
    const base = { storage: memoryStorage(), queue: memoryQueue(), platforms: [scriptedPlatform().platform], recoverIntervalMs: 0 };
    expect(() => createCreatorSearch({ ...base, http: {} as never })).toThrow(ConfigurationError);
    const cs = createCreatorSearch(base);
    instances.push({ cs });
    await expect(cs.handler(new Request(`${ORIGIN}/api/campaigns`))).rejects.toThrow(/needs the http option/);
  });

  it("devAuth refuses to start in production", () => {
    expect(() => devAuth({ env: { NODE_ENV: "production" } })).toThrow(ConfigurationError);
    expect(() => devAuth({ env: { NODE_ENV: "development" } })).not.toThrow();
  });
});

describe("supabaseAuth", () => {
  const secret = "super-secret-jwt-token-with-at-least-32-characters";
  const sign = (claims: Record<string, unknown>, { key = secret, exp = "1h" as string | number, alg = "HS256" } = {}) =>
    new SignJWT({ aud: "authenticated", ...claims })
      .setProtectedHeader({ alg })
      .setIssuedAt()
      .setExpirationTime(exp)
      .sign(new TextEncoder().encode(key));
  const ask = (auth: ReturnType<typeof supabaseAuth>, token?: string) =>
    auth(new Request(ORIGIN, { headers: token ? { authorization: `Bearer ${token}` } : {} }));

  it("accepts a valid token and returns its sub", async () => {
    const auth = supabaseAuth({ jwtSecret: secret, issuer: "https://p.supabase.co/auth/v1" });
    expect(await ask(auth, await sign({ sub: "user-1", iss: "https://p.supabase.co/auth/v1" }))).toEqual({ userId: "user-1" });
  });

  it("refuses missing, forged, expired, wrong-audience, wrong-issuer and sub-less tokens", async () => {
    const auth = supabaseAuth({ jwtSecret: secret, issuer: "https://p.supabase.co/auth/v1" });
    const iss = "https://p.supabase.co/auth/v1";
    const bad = [
      undefined,
      "not-a-jwt",
      await sign({ sub: "u", iss }, { key: "another-secret-that-is-long-enough-xx" }),
      await sign({ sub: "u", iss }, { exp: Math.floor(Date.now() / 1000) - 60 }),
      await sign({ sub: "u", iss, aud: "anon" }),
      await sign({ sub: "u", iss: "https://evil.example" }),
      await sign({ iss }),
      await sign({ sub: "u", iss }, { alg: "HS512" }),
    ];
    for (const token of bad) expect(await ask(auth, token)).toBeNull();
    expect(() => supabaseAuth({ jwtSecret: "" })).toThrow(ConfigurationError);
  });

  it("makes the handler answer 401 for an expired token", async () => {
    const { cs } = open({ authenticate: supabaseAuth({ jwtSecret: secret }) });
    const expired = await sign({ sub: "u" }, { exp: Math.floor(Date.now() / 1000) - 60 });
    const valid = await sign({ sub: "u" });
    const get = (token: string) => cs.handler(new Request(`${ORIGIN}/api/campaigns`, { headers: { authorization: `Bearer ${token}` } }));
    expect((await get(expired)).status).toBe(401);
    expect((await get(valid)).status).toBe(200);
  });
});

describe("webhook body limit", () => {
  it("refuses a chunked webhook body over the limit with 413 and hands the queue nothing", async () => {
    const received: string[] = [];
    const { platform } = scriptedPlatform();
    const queue = { ...memoryQueue(), id: "push", async receive(request: Request) {
      received.push(await request.text());
      return new Response("ok");
    } };
    const cs = createCreatorSearch({ storage: memoryStorage(), queue, platforms: [platform], recoverIntervalMs: 0, http: { authenticate: devAuth(), maxBodyBytes: 100 } });
    instances.push({ cs });
    const stream = (text: string) =>
      new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode(text)); c.close(); } });
    const send = (text: string) =>
      cs.handler(new Request(`${ORIGIN}/api/qstash/process-scraping`, { method: "POST", body: stream(text), duplex: "half" } as RequestInit));
    expect((await send("x".repeat(101))).status).toBe(413);
    const exact = '{ "jobId":"j" ,"chain":"k0","step":0 }';
    expect((await send(exact)).status).toBe(200);
    expect(received).toEqual([exact]);
  });
});

describe("storage faults over HTTP", () => {
  it("answers 503 (unavailable, with Retry-After) or 500 without the storage's host, user or driver message; onError gets the details", async () => {
    const seen: unknown[] = [];
    const failing = (error: Error) => ({ ...memoryStorage(), listCampaigns: async () => Promise.reject(error) });
    const away = new StorageUnavailableError("postgres", "Cannot connect to Postgres at db.internal:5432/app as app: connect ECONNREFUSED");
    // Through the caller: both answers are checked against the OpenAPI document too.
    const unavailable = await httpInstance({ onError: (e) => seen.push(e) }, {}, failing(away)).call("GET", "/api/campaigns");
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get("retry-after")).toBe("2");
    expect(unavailable.text).toContain("STORAGE_UNAVAILABLE");
    expect(unavailable.text).not.toContain("db.internal");
    const broken = new StorageError("postgres", 'Postgres query failed: relation "campaigns" does not exist');
    const failed = await httpInstance({ onError: (e) => seen.push(e) }, {}, failing(broken)).call("GET", "/api/campaigns");
    expect(failed.status).toBe(500);
    expect(failed.text).not.toContain("relation");
    expect(seen).toEqual([away, broken]);
  });
});
