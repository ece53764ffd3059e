import type { CreatorSearch } from "@creatorsearch/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SuiteInstance, WEBHOOK_SECRET, suiteInstance } from "./instance.js";
import { TEST_SIGNATURE_HEADER, signBody } from "./signed-queue.js";

/** A mount listening on a real port. */
export interface MountedServer {
  /** Origin, e.g. `http://127.0.0.1:54321` (the routes are under `/api`). */
  url: string;
  close(): Promise<void>;
}

export interface HttpMountSuiteOptions {
  /** Serves `cs` (configured with `http`, base path `/api`) on a real port. */
  mount(cs: CreatorSearch): Promise<MountedServer>;
  /**
   * What the webhook must get. `"raw"` (default): the exact bytes, so the signature verifies.
   * `"refused"`: the mount knows the raw body was lost (a body parser ran first) and must say
   * so with a 500 naming the fix, never run the step on a re-serialised body.
   */
  webhook?: "raw" | "refused";
  /** Status a too-large body gets (a body parser in front may answer it itself). Default 413. */
  tooLargeStatus?: number;
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

/**
 * The conformance suite every mount of the core handler passes (bare `node:http`, Express with
 * and without `express.json()`, the Next.js route handlers...), over real HTTP.
 *
 * @example
 * ```ts
 * httpMountSuite("express", { mount: async (cs) => listen(express().use(toExpressHandler(cs))) });
 * ```
 */
export function httpMountSuite(name: string, options: HttpMountSuiteOptions): void {
  describe(`HTTP mount conformance: ${name}`, () => {
    let instance: SuiteInstance;
    let server: MountedServer;
    beforeAll(async () => {
      instance = await suiteInstance();
      server = await options.mount(instance.cs);
    });
    afterAll(async () => {
      await server?.close();
      await instance?.close();
    });

    async function call(method: string, path: string, init: { user?: string | null; body?: unknown; raw?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
      const headers: Record<string, string> = { ...init.headers };
      const user = init.user === undefined ? "alice" : init.user;
      if (user) headers["x-user-id"] = user;
      let body: string | undefined = init.raw;
      if (init.body !== undefined) {
        body = JSON.stringify(init.body);
        headers["content-type"] ??= "application/json";
      }
      const response = await fetch(`${server.url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
      const text = await response.text();
      let json: any = null;
      try {
        json = JSON.parse(text);
      } catch {
        // CSV, HTML from a framework
      }
      return { status: response.status, headers: response.headers, text, json };
    }

    async function startJob(user: string, body: Record<string, unknown>) {
      const campaign = await call("POST", "/api/campaigns", { user, body: { name: `${user}'s campaign` } });
      expect(campaign.status).toBe(201);
      const started = await call("POST", "/api/scraping/tiktok", { user, body: { campaignId: campaign.json.id, ...body } });
      expect(started.status).toBe(202);
      return { campaignId: campaign.json.id as string, jobId: started.json.jobId as string };
    }

    it("creates and lists campaigns with a JSON body", async () => {
      const created = await call("POST", "/api/campaigns", { body: { name: "Fall soups", description: "mount suite" } });
      expect(created.status).toBe(201);
      expect(created.headers.get("content-type")).toMatch(/^application\/json/);
      const list = await call("GET", "/api/campaigns");
      expect(list.json.campaigns.map((c: { id: string }) => c.id)).toContain(created.json.id);
    });

    it("answers 401 without a user, 404 off the routes, 405 with Allow", async () => {
      expect((await call("GET", "/api/campaigns", { user: null })).status).toBe(401);
      const missing = await call("GET", "/api/nope");
      expect([missing.status, typeof missing.json?.error]).toEqual([404, "string"]);
      const wrong = await call("PUT", "/api/campaigns", { body: {} });
      expect([wrong.status, wrong.headers.get("allow")]).toEqual([405, "POST, GET"]);
    });

    it("answers 400 with field and reason for bad input and invalid JSON", async () => {
      const invalid = await call("POST", "/api/campaigns", { body: { name: "" } });
      expect([invalid.status, invalid.json.issues[0].field]).toEqual([400, "name"]);
      const broken = await call("POST", "/api/campaigns", { raw: '{"name": ', headers: { "content-type": "application/json" } });
      expect(broken.status).toBe(400);
      const query = await call("GET", "/api/scraping/tiktok?jobId=");
      expect(query.json.issues).toEqual([{ field: "jobId", reason: "is required" }]);
    });

    it("refuses a body of the wrong type (415) and a body that is too large", async () => {
      const form = await call("POST", "/api/campaigns", { raw: "name=x", headers: { "content-type": "text/plain" } });
      expect(form.status).toBe(415);
      const big = await call("POST", "/api/campaigns", { body: { name: "x", description: "y".repeat(200_000) } });
      expect(big.status).toBe(options.tooLargeStatus ?? 413);
    });

    it("runs a job and polls it with after= until every creator is read exactly once", async () => {
      const { jobId } = await startJob("alice", { keywords: ["soup", "stew"], targetResults: 30 });
      const handles: string[] = [];
      let cursor = "0";
      for (let i = 0; i < 400; i++) {
        const poll = await call("GET", `/api/scraping/tiktok?jobId=${jobId}&after=${cursor}&limit=7`);
        expect(poll.status).toBe(200);
        for (const result of poll.json.results) handles.push(...result.creators.map((c: { creator: { handle: string } }) => c.creator.handle));
        cursor = poll.json.nextCursor ?? cursor;
        if (["completed", "error", "timeout", "cancelled"].includes(poll.json.status) && !poll.json.hasMore) {
          expect(poll.json.status).toBe("completed");
          expect(handles.length).toBe(poll.json.processedResults);
          break;
        }
        if (!poll.json.hasMore) await new Promise((r) => setTimeout(r, 50));
      }
      expect(new Set(handles).size).toBe(handles.length);
      expect(handles.length).toBeGreaterThanOrEqual(30);
      const full = await call("GET", `/api/scraping/tiktok?jobId=${jobId}`);
      expect(full.json.results[0].creators.map((c: { creator: { handle: string } }) => c.creator.handle)).toEqual(handles);
    });

    it("streams server-sent progress events until the job ends", async () => {
      const { jobId } = await startJob("alice", { keywords: ["ramen"], targetResults: 25 });
      const response = await fetch(`${server.url}/api/jobs/${jobId}/events`, { headers: { "x-user-id": "alice" } });
      expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
      const text = await response.text();
      const events = [...text.matchAll(/event: (\w+)\nid: \d+\ndata: (.+)\n/g)].map((m) => ({ event: m[1], data: JSON.parse(m[2]!) }));
      expect(events.length).toBeGreaterThanOrEqual(2);
      expect(events.at(-1)).toMatchObject({ event: "end", data: { jobId, status: "completed" } });
    });

    it("stops the event stream (and its listeners) when the client disconnects", async () => {
      const before = instance.cs.events.listenerCount("job.progress");
      const { jobId } = await startJob("alice", { keywords: ["endless"], targetResults: 10_000, maxApiCalls: 50 });
      const abort = new AbortController();
      const response = await fetch(`${server.url}/api/jobs/${jobId}/events`, { headers: { "x-user-id": "alice" }, signal: abort.signal });
      await response.body!.getReader().read();
      expect(instance.cs.events.listenerCount("job.progress")).toBe(before + 1);
      abort.abort();
      for (let i = 0; i < 100 && instance.cs.events.listenerCount("job.progress") > before; i++) await new Promise((r) => setTimeout(r, 20));
      expect(instance.cs.events.listenerCount("job.progress")).toBe(before);
      expect((await call("POST", `/api/jobs/${jobId}/cancel`)).json.status).toBe("cancelled");
    });

    it("exports CSV and keeps other users out (404)", async () => {
      const { jobId, campaignId } = await startJob("alice", { keywords: ["curry"], targetResults: 10 });
      await instance.cs.jobs.wait("alice", jobId, { timeoutMs: 20_000 });
      const csv = await call("GET", `/api/jobs/${jobId}/export.csv`);
      expect(csv.status).toBe(200);
      expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
      expect(csv.text.split("\n")[0]).toMatch(/^platform,handle,/);
      expect(csv.text.trim().split("\n").length).toBeGreaterThan(10);
      for (const path of [`/api/jobs/${jobId}/export.csv`, `/api/scraping/tiktok?jobId=${jobId}`, `/api/campaigns/${campaignId}`]) {
        expect((await call("GET", path, { user: "mallory" })).status).toBe(404);
      }
    });

    it(options.webhook === "refused" ? "refuses the webhook with a clear 500 when the raw body was lost" : "gives the webhook the exact raw body", async () => {
      // Odd spacing and key order: any re-serialisation changes these bytes and breaks the signature.
      const raw = '{ "step" : 0,\n  "chain":"k0", "jobId" : "j-1" }';
      const signature = await signBody(WEBHOOK_SECRET, raw);
      const before = instance.queue.received.length;
      const answer = await call("POST", "/api/qstash/process-scraping", { user: null, raw, headers: { "content-type": "application/json", [TEST_SIGNATURE_HEADER]: signature } });
      if (options.webhook === "refused") {
        expect(answer.status).toBe(500);
        expect(answer.json.error).toMatch(/raw body/);
        expect(instance.queue.received.length).toBe(before);
        return;
      }
      expect(answer.status).toBe(200);
      expect(answer.json.bytes).toBe(new TextEncoder().encode(raw).byteLength);
      expect(instance.queue.received.at(-1)).toEqual({ jobId: "j-1", chain: "k0", step: 0 });
      const forged = await call("POST", "/api/qstash/process-scraping", { user: null, raw: raw.replace("j-1", "j-2"), headers: { "content-type": "application/json", [TEST_SIGNATURE_HEADER]: signature } });
      expect(forged.status).toBe(401);
      expect(instance.queue.received.length).toBe(before + 1);
    });
  });
}
