/**
 * The HTTP contract, end to end: `creatorsearch serve --dev-auth --sandbox` in its own process,
 * driven with ordinary and hostile calls on every route, and with requests generated from the
 * OpenAPI document it serves (valid and invalid, property-based). Every answer must be documented
 * (route, status, content type) and match its schema; nothing may answer 5xx.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type OpenApiContract, type Operation, openApiContract, schemaArbitraries } from "@creatorsearch/test-utils/http";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../../..");
const bin = join(root, "packages/cli/src/bin.ts");
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

let dir: string;
let child: ChildProcess;
let base: string;
let document: { paths: Record<string, Record<string, Operation>>; components?: unknown };
let contract: OpenApiContract;
const seen = { answers: 0, operations: new Set<string>(), generated: 0 };
const violations: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cs-contract-"));
  const { SCRAPECREATORS_API_KEY: _k, SCRAPECREATORS_BASE_URL: _u, SUPABASE_JWT_SECRET: _s, NODE_ENV: _n, ...env } = process.env;
  child = spawn(process.execPath, ["--conditions=dev-source", "--import", tsxLoader, bin, "serve", "--port", "0", "--db", "contract.db", "--dev-auth", "--sandbox"], {
    cwd: dir,
    env,
  });
  let stdout = "";
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  base = await new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", (d) => {
      stdout += d;
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match) resolve(match[1]!);
    });
    child.once("close", (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
  });
  const served = await fetch(`${base}/openapi.json`);
  expect(served.status).toBe(200);
  document = await served.json();
  contract = openApiContract(document, new URL(base).pathname);
}, 60_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once("close", resolve));
    child.kill("SIGTERM");
    await exited;
  }
  await rm(dir, { recursive: true, force: true });
  console.log(`contract: ${seen.operations.size} operations covered, ${seen.generated} requests generated, ${seen.answers} answers validated, ${violations.length} failures`);
});

/** Sends a request and checks its answer against the document; returns status and body. */
async function call(method: string, path: string, options: { user?: string | null; body?: unknown; raw?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...options.headers };
  const user = options.user === undefined ? "ana" : options.user;
  if (user) headers["x-user-id"] = user;
  let body: string | undefined = options.raw;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  const response = await fetch(`${base}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const type = response.headers.get("content-type");
  // An event stream never ends while its job runs: its status and media type are what is checked.
  const text = type?.startsWith("text/event-stream") ? (await response.body?.cancel(), "") : await response.text();
  seen.answers += 1;
  const pathOnly = new URL(`${base}${path}`).pathname.slice(new URL(base).pathname.length);
  const operation = contract.operationOf(method, pathOnly);
  if (operation?.operationId) seen.operations.add(operation.operationId);
  const violation = contract.violation(method, `${base}${path}`, response.status, type, text);
  if (violation) violations.push(violation);
  if (response.status >= 500 && response.status !== 501) violations.push(`${method} ${path}: ${response.status} ${text.slice(0, 200)}`);
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    // CSV, events
  }
  return { status: response.status, json, text };
}

describe("the HTTP contract of creatorsearch serve", () => {
  let campaignId: string;
  let jobId: string;

  it("ordinary calls on every route answer as documented", async () => {
    const campaign = await call("POST", "/campaigns", { body: { name: "Contract", description: "soups" } });
    expect(campaign.status).toBe(201);
    campaignId = campaign.json.id;
    expect((await call("GET", "/campaigns?limit=5&includeArchived=true")).status).toBe(200);
    const started = await call("POST", "/scraping/tiktok", { body: { campaignId, keywords: ["soup", "stew"], targetResults: 30, minFollowers: 10 } });
    expect(started.status).toBe(202);
    jobId = started.json.jobId;
    let poll = await call("GET", `/scraping/tiktok?jobId=${jobId}`);
    for (let i = 0; i < 100 && !["completed", "error"].includes(poll.json.status); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      poll = await call("GET", `/scraping/tiktok?jobId=${jobId}&after=0&limit=5`);
    }
    expect(poll.json.status).toBe("completed");
    expect((await call("GET", `/scraping/tiktok?jobId=${jobId}`)).json.results[0].creators.length).toBeGreaterThan(0);
    expect((await call("GET", `/campaigns/${campaignId}`)).json.jobs).toHaveLength(1);
    expect((await call("GET", `/jobs/${jobId}/events`)).status).toBe(200);
    expect((await call("GET", `/jobs/${jobId}/export.csv`)).text.split("\n")[0]).toMatch(/^platform,/);
    expect((await call("POST", `/jobs/${jobId}/cancel`)).json.status).toBe("completed");
    // The campaign's roster: the creators its job found, the team's fields, the export.
    const roster = await call("GET", `/campaigns/${campaignId}/creators?limit=5&status=new&platform=tiktok`);
    expect(roster.status).toBe(200);
    const [first, second] = roster.json.items as { id: string }[];
    expect((await call("GET", `/campaigns/${campaignId}/creators/${encodeURIComponent(first!.id)}`)).json.id).toBe(first!.id);
    const patched = await call("PATCH", `/campaigns/${campaignId}/creators/${encodeURIComponent(first!.id)}`, { body: { status: "shortlisted", notes: "warm", tags: ["soup"] } });
    expect(patched.json).toMatchObject({ status: "shortlisted", notes: "warm", tags: ["soup"] });
    const bulk = await call("PATCH", `/campaigns/${campaignId}/creators`, { body: { ids: [second!.id, "tiktok:nobody"], status: "contacted" } });
    expect(bulk.json.notFound).toEqual(["tiktok:nobody"]);
    expect((await call("GET", `/campaigns/${campaignId}/creators?tag=soup&q=${encodeURIComponent("a")}`)).status).toBe(200);
    expect((await call("GET", `/campaigns/${campaignId}/export?format=csv`)).text.split("\n")[0]).toContain("status");
    expect((await call("GET", `/campaigns/${campaignId}/export?format=json&status=contacted`)).status).toBe(200);
    expect((await call("GET", "/openapi.json", { user: null })).status).toBe(200);
    expect((await call("HEAD", "/campaigns")).status).toBe(200);
    expect(violations).toEqual([]);
  }, 60_000);

  it("hostile calls get documented 4xx answers: wrong users, bad ids, bad bodies, bad cursors, wrong methods, unknown routes", async () => {
    const hostile: [string, string, Parameters<typeof call>[2]?][] = [
      ["GET", "/campaigns", { user: null }],
      ["GET", `/campaigns/${campaignId}`, { user: "eve" }],
      ["GET", "/campaigns/..%2F..%2Fetc", {}],
      ["GET", `/campaigns/${"x".repeat(300)}`, {}],
      ["GET", "/campaigns?limit=0", {}],
      ["GET", "/campaigns?limit=abc&offset=-1", {}],
      ["GET", "/campaigns?includeArchived=yes", {}],
      ["POST", "/campaigns", { body: {} }],
      ["POST", "/campaigns", { body: { name: "x".repeat(201) } }],
      ["POST", "/campaigns", { raw: "{not json", headers: { "content-type": "application/json" } }],
      ["POST", "/campaigns", { raw: "name=x", headers: { "content-type": "application/x-www-form-urlencoded" } }],
      ["POST", "/campaigns", { body: [1, 2] }],
      ["POST", "/campaigns", { raw: JSON.stringify({ name: "x".repeat(70_000) }), headers: { "content-type": "application/json" } }],
      ["POST", "/scraping/tiktok", { body: { campaignId, keywords: [], targetResults: 0 } }],
      ["POST", "/scraping/tiktok", { body: { campaignId, keywords: ["a"], minFollowers: 10, maxFollowers: 1 } }],
      ["POST", "/scraping/tiktok", { body: { campaignId: "nope", keywords: ["a"] } }],
      ["POST", "/scraping/tiktok", { user: "eve", body: { campaignId, keywords: ["a"] } }],
      ["POST", "/scraping/myspace", { body: { campaignId, keywords: ["a"] } }],
      ["GET", "/scraping/tiktok", {}],
      ["GET", `/scraping/tiktok?jobId=${jobId}&after=abc`, {}],
      ["GET", `/scraping/tiktok?jobId=${jobId}&after=-1&limit=100000`, {}],
      ["GET", `/scraping/instagram?jobId=${jobId}`, {}],
      ["GET", `/scraping/tiktok?jobId=${jobId}`, { user: "eve" }],
      ["GET", `/jobs/${jobId}/events`, { user: "eve" }],
      ["GET", "/jobs/nope/export.csv", {}],
      ["POST", `/jobs/${jobId}/cancel`, { user: "eve" }],
      ["DELETE", "/campaigns", {}],
      ["PUT", `/jobs/${jobId}/cancel`, {}],
      ["GET", "/nothing/here", {}],
      ["GET", `/campaigns?q=${"x".repeat(9000)}`, {}],
      ["POST", "/qstash/process-scraping", { user: null, body: { jobId, chain: "k0", step: 0 } }],
      ["GET", `/campaigns/${campaignId}/creators`, { user: "eve" }],
      ["GET", `/campaigns/${campaignId}/creators?status=maybe&limit=0`, {}],
      ["GET", `/campaigns/${campaignId}/creators?after=abc`, {}],
      ["GET", `/campaigns/${campaignId}/creators/tiktok%3Anobody`, {}],
      ["GET", `/campaigns/${campaignId}/creators/not-an-id`, {}],
      ["PATCH", `/campaigns/${campaignId}/creators/tiktok%3Anobody`, { body: { status: "agreed" } }],
      ["PATCH", `/campaigns/${campaignId}/creators/tiktok%3A1`, { user: "eve", body: { status: "agreed" } }],
      ["PATCH", `/campaigns/${campaignId}/creators`, { body: { ids: [], status: "agreed" } }],
      ["PATCH", `/campaigns/${campaignId}/creators`, { body: { ids: ["tiktok:1"], status: "maybe", colour: "red" } }],
      ["PATCH", `/campaigns/${campaignId}/creators`, { body: { ids: ["tiktok:1"] } }],
      ["GET", `/campaigns/${campaignId}/export?format=xml`, {}],
      ["GET", `/campaigns/${campaignId}/export`, { user: "eve" }],
      ["GET", "/proxy/image", {}],
      ["GET", "/proxy/image?url=http://169.254.169.254/latest", {}],
      ["GET", "/proxy/image?url=https://127.0.0.1/a.jpg", {}],
    ];
    for (const [method, path, options] of hostile) {
      const { status } = await call(method, path, options);
      expect(status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
    }
    expect(violations).toEqual([]);
  }, 60_000);

  it("requests generated from the document: valid ones are accepted, invalid ones get a documented 4xx", async () => {
    const { valid, invalid } = schemaArbitraries(document.components);
    const bodyOf = (operation: Operation) => operation.requestBody!.content["application/json"]!.schema!;

    // Campaigns: any body the document allows makes a campaign; any it refuses is a 400.
    const createCampaign = document.paths["/campaigns"]!.post!;
    await fc.assert(
      fc.asyncProperty(valid(bodyOf(createCampaign)), async (body) => {
        seen.generated += 1;
        const { status } = await call("POST", "/campaigns", { body });
        expect(status).toBe(201);
      }),
      { numRuns: 40 },
    );
    await fc.assert(
      fc.asyncProperty(invalid(bodyOf(createCampaign)), async (body) => {
        seen.generated += 1;
        const { status } = await call("POST", "/campaigns", { body });
        expect(status).toBe(400);
      }),
      { numRuns: 40 },
    );

    // Searches: a body the document allows, in a campaign of the caller's, starts a job unless a
    // rule across fields refuses it (a 400 naming the field); one it refuses is always a 400.
    const startSearch = document.paths["/scraping/{platform}"]!.post!;
    // Job starts are rate limited per user (30 a minute): generated ones are spread over users.
    const starters = await Promise.all(
      Array.from({ length: 5 }, async (_, i) => ({ user: `gen-${i}`, campaignId: (await call("POST", "/campaigns", { user: `gen-${i}`, body: { name: "g" } })).json.id as string })),
    );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(valid(bodyOf(startSearch)) as fc.Arbitrary<Record<string, unknown>>, async (body) => {
        seen.generated += 1;
        const starter = starters[run++ % starters.length]!;
        const { status, json } = await call("POST", "/scraping/tiktok", { user: starter.user, body: { ...body, campaignId: starter.campaignId, maxApiCalls: 1 } });
        if (status !== 202) {
          expect(status).toBe(400);
          expect(json.issues.length).toBeGreaterThan(0);
        } else {
          await call("POST", `/jobs/${json.jobId}/cancel`, { user: starter.user });
        }
      }),
      { numRuns: 30 },
    );
    await fc.assert(
      fc.asyncProperty(invalid(bodyOf(startSearch)), async (body) => {
        seen.generated += 1;
        // Each from a user of its own (no rate limit in the way), naming a campaign not theirs.
        const { status } = await call("POST", "/scraping/tiktok", { user: `inv-${run++}`, body });
        expect([400, 404]).toContain(status);
      }),
      { numRuns: 40 },
    );

    // Query parameters of the list and poll routes.
    const queryOf = (operation: Operation) => {
      const parameters = (operation.parameters ?? []).filter((p) => p.in === "query");
      return {
        type: "object",
        properties: Object.fromEntries(parameters.map((p) => [p.name, p.schema])),
        required: parameters.filter((p) => p.required).map((p) => p.name),
      };
    };
    const listCampaigns = document.paths["/campaigns"]!.get!;
    await fc.assert(
      fc.asyncProperty(valid(queryOf(listCampaigns)) as fc.Arbitrary<Record<string, string>>, async (query) => {
        seen.generated += 1;
        const { status } = await call("GET", `/campaigns?${new URLSearchParams(query)}`);
        expect(status).toBe(200);
      }),
      { numRuns: 30 },
    );
    const poll = document.paths["/scraping/{platform}"]!.get!;
    await fc.assert(
      fc.asyncProperty(valid(queryOf(poll)) as fc.Arbitrary<Record<string, string>>, fc.boolean(), async (query, ownJob) => {
        seen.generated += 1;
        const { status } = await call("GET", `/scraping/tiktok?${new URLSearchParams({ ...query, ...(ownJob ? { jobId } : {}) })}`);
        expect(ownJob ? [200] : [200, 404]).toContain(status);
      }),
      { numRuns: 30 },
    );
    expect(violations).toEqual([]);
    expect(seen.operations.size).toBe(Object.values(document.paths).flatMap((p) => Object.keys(p)).length);
  }, 120_000);
});
