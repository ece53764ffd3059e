import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createHmac } from "node:crypto";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../../..");
const bin = join(root, "packages/cli/src/bin.ts");
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
const nodeArgs = ["--conditions=dev-source", "--import", tsxLoader, bin];

/** An HS256 JWT as Supabase issues them (signed here with node:crypto, no client library). */
function supabaseToken(secret: string, claims: Record<string, unknown>) {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const body = `${part({ alg: "HS256", typ: "JWT" })}.${part(claims)}`;
  return `${body}.${createHmac("sha256", secret).update(body).digest("base64url")}`;
}

let dir: string;
const children: ChildProcess[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cs-serve-"));
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  await rm(dir, { recursive: true, force: true });
});

function cleanEnv(extra: Record<string, string> = {}) {
  const { SCRAPECREATORS_API_KEY: _k, SCRAPECREATORS_BASE_URL: _u, SUPABASE_JWT_SECRET: _s, NODE_ENV: _n, ...env } = process.env;
  return { ...env, ...extra } as NodeJS.ProcessEnv;
}

/** Starts `creatorsearch serve` in its own process and resolves once it prints its URL. */
async function serve(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [...nodeArgs, "serve", "--port", "0", "--db", "serve.db", ...args], { cwd: dir, env: cleanEnv(env) });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (d) => {
      stdout += d;
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match) resolve(match[1]!);
    });
    child.once("close", (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
  return { url, child, exited, output: () => stdout, errors: () => stderr };
}

function run(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number; stderr: string }>((resolve) =>
    execFile(process.execPath, [...nodeArgs, ...args], { cwd: dir, env: cleanEnv(env), timeout: 60_000 }, (error, _stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stderr }),
    ),
  );
}

describe("creatorsearch serve", () => {
  it("serves the API over real HTTP with --sandbox --dev-auth, and stops cleanly on SIGTERM", async () => {
    const server = await serve(["--sandbox", "--dev-auth"]);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api$/);
    const as = (user: string | null, init: RequestInit = {}) => ({ ...init, headers: { ...(user ? { "x-user-id": user } : {}), "content-type": "application/json", ...init.headers } });
    expect((await fetch(`${server.url}/campaigns`)).status).toBe(401);

    const campaign = await (await fetch(`${server.url}/campaigns`, as("ana", { method: "POST", body: JSON.stringify({ name: "Soups" }) }))).json();
    const started = await fetch(`${server.url}/scraping/tiktok`, as("ana", { method: "POST", body: JSON.stringify({ campaignId: campaign.id, keywords: ["soup", "stew"], targetResults: 40 }) }));
    expect(started.status).toBe(202);
    const { jobId } = await started.json();

    const events = await (await fetch(`${server.url}/jobs/${jobId}/events`, as("ana"))).text();
    expect(events).toMatch(/event: end\nid: \d+\ndata: \{[^\n]*"status":"completed"/);

    const poll = await (await fetch(`${server.url}/scraping/tiktok?jobId=${jobId}&after=0&limit=1000`, as("ana"))).json();
    expect(poll.status).toBe("completed");
    expect(poll.results[0].creators.length).toBe(poll.processedResults);
    expect(poll.processedResults).toBeGreaterThanOrEqual(40);

    const csv = await (await fetch(`${server.url}/jobs/${jobId}/export.csv`, as("ana"))).text();
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.handle)).toEqual(poll.results[0].creators.map((c: { creator: { handle: string } }) => c.creator.handle));
    expect((await fetch(`${server.url}/jobs/${jobId}/export.csv`, as("bo"))).status).toBe(404);
    const bad = await fetch(`${server.url}/scraping/tiktok`, as("ana", { method: "POST", body: JSON.stringify({ campaignId: campaign.id, keywords: [] }) }));
    expect([bad.status, (await bad.json()).issues[0].field]).toEqual([400, "keywords"]);

    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain("stopped");
  }, 90_000);

  it("runs steps at --concurrency with --upstream-concurrency calls, and --debug reports the event-loop delay", async () => {
    const server = await serve(["--sandbox", "--dev-auth", "--concurrency", "2", "--upstream-concurrency", "3", "--max-loop-delay", "80", "--debug", "1"]);
    expect(server.output()).toContain("steps: in this process (2 at once, 3 API calls in flight, none started while the event loop is over 80 ms late)");
    const as = (init: RequestInit = {}) => ({ ...init, headers: { "x-user-id": "ana", "content-type": "application/json" } });
    const campaign = await (await fetch(`${server.url}/campaigns`, as({ method: "POST", body: JSON.stringify({ name: "Teas" }) }))).json();
    const started = await fetch(`${server.url}/scraping/tiktok`, as({ method: "POST", body: JSON.stringify({ campaignId: campaign.id, keywords: ["tea", "matcha", "chai"], targetResults: 60 }) }));
    const { jobId } = await started.json();
    const events = await (await fetch(`${server.url}/jobs/${jobId}/events`, as())).text();
    expect(events).toMatch(/"status":"completed"/);
    // The line reads the queue itself: "of 2" is the concurrency it was built with.
    await expect.poll(() => server.errors(), { timeout: 5_000 }).toMatch(/^debug: event-loop delay p50 \d+\.\d ms, p99 \d+\.\d ms, max \d+\.\d ms; steps running \d of 2 at once, \d+ waiting or delayed$/m);
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
  }, 60_000);

  it("verifies Supabase tokens with SUPABASE_JWT_SECRET when --dev-auth is not given", async () => {
    const secret = "a-supabase-jwt-secret-of-at-least-32-chars";
    const server = await serve(["--sandbox"], { SUPABASE_JWT_SECRET: secret });
    const token = supabaseToken(secret, { sub: "user-42", aud: "authenticated", exp: Math.floor(Date.now() / 1000) + 600 });
    const expired = supabaseToken(secret, { sub: "user-42", aud: "authenticated", exp: Math.floor(Date.now() / 1000) - 600 });
    expect((await fetch(`${server.url}/campaigns`, { headers: { authorization: `Bearer ${expired}` } })).status).toBe(401);
    expect((await fetch(`${server.url}/campaigns`, { headers: { "x-user-id": "user-42" } })).status).toBe(401);
    const ok = await fetch(`${server.url}/campaigns`, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
  }, 60_000);

  it("refuses to start without an auth, with --dev-auth in production, and on a taken port", async () => {
    const none = await run(["serve", "--sandbox", "--port", "0"]);
    expect(none.code).toBe(2);
    expect(none.stderr.trim().split("\n")).toHaveLength(1);
    expect(none.stderr).toMatch(/SUPABASE_JWT_SECRET.*--dev-auth/);
    const production = await run(["serve", "--sandbox", "--dev-auth", "--port", "0"], { NODE_ENV: "production" });
    expect(production.code).toBe(2);
    expect(production.stderr).toMatch(/NODE_ENV=production/);
    const server = await serve(["--sandbox", "--dev-auth"]);
    const port = new URL(server.url).port;
    const taken = await run(["serve", "--sandbox", "--dev-auth", "--port", port]);
    expect([taken.code, taken.stderr]).toEqual([2, expect.stringMatching(/already in use/)]);
    server.child.kill("SIGTERM");
    await server.exited;
    const badPort = await run(["serve", "--port", "99999", "--dev-auth"]);
    expect(badPort.code).toBe(2);
  }, 90_000);
});
