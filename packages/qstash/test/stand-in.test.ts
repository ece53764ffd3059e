import { ClosedError } from "@creatorsearch/core";
import { Client, Receiver } from "@upstash/qstash";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { qstashQueue } from "../src/index.js";
import { type QStashStandIn, createQStashStandIn, qstashHandlers } from "../src/testing/index.js";
import { evaluateRetryDelay } from "../src/testing/retry-delay.js";
import { parseFlowControl, retryAfterMs } from "../src/testing/retry-after.js";

/*
 * The stand-in must behave like QStash where our adapter relies on it, or the adapter's tests
 * prove nothing. Publishes go through the real @upstash/qstash Client (via msw); deliveries go to
 * a recording webhook function and are checked with the real Receiver.
 */
const msw = setupServer();
beforeAll(() => msw.listen({ onUnhandledRequest: "error" }));
afterAll(() => msw.close());

const URL_ = "https://app.example.test/hook";
interface Hit {
  at: number;
  request: Request;
  body: string;
}

let standIn: QStashStandIn;
afterEach(async () => {
  await standIn?.close();
  msw.resetHandlers();
});

/** A stand-in delivering to `answer`, and a Client publishing to it. */
function setup(answer: (hit: Hit, nth: number) => Response | Promise<Response> = () => new Response("ok"), options: Parameters<typeof createQStashStandIn>[0] = {}) {
  const hits: Hit[] = [];
  standIn = createQStashStandIn({
    ...options,
    deliver: async (request) => {
      const hit = { at: Date.now(), request, body: await request.clone().text() };
      hits.push(hit);
      return answer(hit, hits.length - 1);
    },
  });
  msw.use(...qstashHandlers(standIn));
  const client = new Client({ token: standIn.token, baseUrl: standIn.baseUrl, devMode: false, retry: false });
  return { hits, client };
}

const until = async (done: () => boolean, ms = 10_000) => {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe("QStash stand-in: publish API", () => {
  it("refuses a wrong token like QStash (401)", async () => {
    setup();
    const client = new Client({ token: "wrong", baseUrl: standIn.baseUrl, devMode: false, retry: false });
    await expect(client.publishJSON({ url: URL_, body: {} })).rejects.toThrow(/Unauthorized/);
  });

  it("answers 400 for a bad delay, retry delay or flow-control value, and 404 for unimplemented routes", async () => {
    setup();
    const post = (headers: Record<string, string>) =>
      standIn.fetch(new Request(`${standIn.baseUrl}/v2/publish/${URL_}`, { method: "POST", headers: { authorization: `Bearer ${standIn.token}`, ...headers }, body: "{}" }));
    expect((await post({ "upstash-delay": "soon" })).status).toBe(400);
    expect((await post({ "upstash-retry-delay": "pow(2, retried" })).status).toBe(400);
    expect((await post({ "upstash-retry-delay": "process.exit(1)" })).status).toBe(400);
    expect((await post({ "upstash-flow-control-key": "k", "upstash-flow-control-value": "nonsense" })).status).toBe(400);
    const dlq = await standIn.fetch(new Request(`${standIn.baseUrl}/v2/dlq`, { headers: { authorization: `Bearer ${standIn.token}` } }));
    expect(dlq.status).toBe(404);
    expect(await dlq.text()).toContain("implements POST /v2/publish/{url} only");
  });

  it("collapses a deduplication id within the window (202, same id, deduplicated) and not after it", async () => {
    const { client, hits } = setup(undefined, { dedupeWindowMs: 300 });
    const a = await client.publishJSON({ url: URL_, body: { n: 1 }, deduplicationId: "job:k0:0" });
    const b = await client.publishJSON({ url: URL_, body: { n: 2 }, deduplicationId: "job:k0:0" });
    expect(b).toMatchObject({ messageId: a.messageId, deduplicated: true });
    expect(standIn.deduplicatedPublishes).toBe(1);
    await new Promise((r) => setTimeout(r, 350));
    const c = await client.publishJSON({ url: URL_, body: { n: 3 }, deduplicationId: "job:k0:0" });
    expect(c.messageId).not.toBe(a.messageId);
    await standIn.onIdle();
    expect(hits.map((h) => JSON.parse(h.body).n)).toEqual([1, 3]);
  });
});

describe("QStash stand-in: deliveries", () => {
  it("signs like QStash: the real Receiver verifies body and URL; headers as documented", async () => {
    const { client, hits } = setup();
    const { messageId } = await client.publishJSON({ url: URL_, body: { hello: "world" }, headers: { "x-trace": "t1" } });
    await standIn.onIdle();
    const [hit] = hits;
    const h = hit!.request.headers;
    expect(h.get("upstash-message-id")).toBe(messageId);
    expect(h.get("upstash-retried")).toBe("0");
    expect(h.get("user-agent")).toBe("Upstash-QStash");
    expect(h.get("content-type")).toBe("application/json");
    expect(h.get("x-trace")).toBe("t1"); // Upstash-Forward-* with the prefix stripped
    const receiver = new Receiver({ currentSigningKey: standIn.currentSigningKey, nextSigningKey: standIn.nextSigningKey, devMode: false });
    await expect(receiver.verify({ signature: h.get("upstash-signature")!, body: hit!.body, url: URL_ })).resolves.toBe(true);
    await expect(receiver.verify({ signature: h.get("upstash-signature")!, body: `${hit!.body} `, url: URL_ })).rejects.toThrow(/body hash/);
    // After rotateKeys() it signs with the next key, which the receiver still accepts.
    standIn.rotateKeys();
    await expect(receiver.verify({ signature: await standIn.sign(URL_, "{}"), body: "{}", url: URL_ })).resolves.toBe(true);
    expect(standIn.deliveries).toMatchObject([{ messageId, status: 200, retried: 0, duplicate: false }]);
  });

  it("holds a message until its delay", async () => {
    const { client, hits } = setup();
    const sent = Date.now();
    await client.publishJSON({ url: URL_, body: {}, delay: 1 });
    await standIn.onIdle();
    expect(hits[0]!.at - sent).toBeGreaterThanOrEqual(950);
  });

  it("retries at the time Retry-After says, counting Upstash-Retried", async () => {
    const { client, hits } = setup((_hit, nth) => (nth === 0 ? new Response("slow down", { status: 429, headers: { "Retry-After": "1" } }) : new Response("ok")));
    await client.publishJSON({ url: URL_, body: {} });
    await standIn.onIdle();
    expect(hits.map((h) => h.request.headers.get("upstash-retried"))).toEqual(["0", "1"]);
    expect(hits[1]!.at - hits[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it("retries 5xx with the Upstash-Retry-Delay expression, then fails and calls the failure callback", async () => {
    const FAIL = `${URL_}?failed=1`;
    const { client, hits } = setup((hit) => (hit.request.url === FAIL ? new Response("noted") : new Response("db down", { status: 503 })));
    const { messageId } = await client.publishJSON({ url: URL_, body: { step: 1 }, retries: 2, retryDelay: "pow(2, retried) * 100", failureCallback: FAIL });
    await standIn.onIdle();
    const steps = hits.filter((h) => h.request.url === URL_);
    expect(steps).toHaveLength(3);
    expect(steps[1]!.at - steps[0]!.at).toBeGreaterThanOrEqual(95);
    expect(steps[2]!.at - steps[1]!.at).toBeGreaterThanOrEqual(195);
    const callbacks = hits.filter((h) => h.request.url === FAIL);
    expect(callbacks).toHaveLength(1);
    const payload = JSON.parse(callbacks[0]!.body);
    expect(payload).toMatchObject({ status: 503, retried: 2, maxRetries: 2, sourceMessageId: messageId });
    expect(Buffer.from(payload.sourceBody, "base64").toString()).toBe('{"step":1}');
    expect(Buffer.from(payload.body, "base64").toString()).toBe("db down");
    // The callback is signed for its own URL.
    const receiver = new Receiver({ currentSigningKey: standIn.currentSigningKey, nextSigningKey: standIn.nextSigningKey, devMode: false });
    await expect(receiver.verify({ signature: callbacks[0]!.request.headers.get("upstash-signature")!, body: callbacks[0]!.body, url: FAIL })).resolves.toBe(true);
    expect(standIn.messages.find((m) => m.messageId === messageId)!.state).toBe("failed");
  });

  it("489 with Upstash-NonRetryable-Error fails at once; 489 without the header is retried", async () => {
    const { client, hits } = setup((hit, nth) => {
      const flagged = JSON.parse(hit.body).flagged as boolean;
      if (flagged) return new Response("bad input", { status: 489, headers: { "Upstash-NonRetryable-Error": "true" } });
      return nth < 2 ? new Response("?", { status: 489 }) : new Response("ok");
    });
    await client.publishJSON({ url: URL_, body: { flagged: true }, retries: 3, retryDelay: "10" });
    await standIn.onIdle();
    expect(hits).toHaveLength(1);
    await client.publishJSON({ url: URL_, body: { flagged: false }, retries: 3, retryDelay: "10" });
    await standIn.onIdle();
    expect(hits).toHaveLength(3);
  });

  it("a network error counts as a failed attempt and is retried", async () => {
    const { client, hits } = setup((_hit, nth) => {
      if (nth === 0) throw new TypeError("fetch failed");
      return new Response("ok");
    });
    await client.publishJSON({ url: URL_, body: {}, retryDelay: "10" });
    await standIn.onIdle();
    expect(hits).toHaveLength(2);
    expect(standIn.deliveries.map((d) => d.status)).toEqual([0, 200]);
  });

  it("flow control: rate per period across messages sharing a key", async () => {
    const { client, hits } = setup();
    for (let i = 0; i < 6; i++) await client.publishJSON({ url: URL_, body: { i }, flowControl: { key: "sc", rate: 2, period: 1 } });
    await standIn.onIdle();
    const span = hits[5]!.at - hits[0]!.at;
    expect(span).toBeGreaterThanOrEqual(1900); // 2 per second: the 5th and 6th wait for the third window
  });

  it("duplicateDeliveries sends extra, separately signed copies of the first delivery at once", async () => {
    const { client, hits } = setup(undefined, { duplicateDeliveries: 2 });
    await client.publishJSON({ url: URL_, body: {} });
    await standIn.onIdle();
    expect(hits).toHaveLength(3);
    const jtis = new Set(hits.map((h) => JSON.parse(Buffer.from(h.request.headers.get("upstash-signature")!.split(".")[1]!, "base64url").toString()).jti));
    expect(jtis.size).toBe(3);
    expect(standIn.deliveries.filter((d) => d.duplicate)).toHaveLength(2);
  });
});

describe("qstashQueue.enqueue against the stand-in", () => {
  it("publishes the step with dedupe id, delay in whole seconds, retries, retry delay, failure callback and flow control", async () => {
    setup();
    const queue = qstashQueue({
      ...standIn.credentials,
      callbackUrl: URL_,
      retries: 5,
      retryDelay: "1000",
      flowControl: { key: "sc-acct", parallelism: 3, rate: 20, period: "1m" },
      env: {},
    });
    const first = await queue.enqueue({ jobId: "j1", chain: "k0", step: 4 }, { idempotencyKey: "j1:k0:4", delayMs: 1500 });
    const again = await queue.enqueue({ jobId: "j1", chain: "k0", step: 4 }, { idempotencyKey: "j1:k0:4" });
    expect(first.deduplicated).toBe(false);
    expect(again).toEqual({ messageId: first.messageId, deduplicated: true });
    const [message] = standIn.messages;
    expect(JSON.parse(message!.body)).toEqual({ jobId: "j1", chain: "k0", step: 4 });
    expect(message!.headers).toMatchObject({
      "upstash-deduplication-id": "j1:k0:4",
      "upstash-delay": "2s",
      "upstash-retries": "5",
      "upstash-retry-delay": "1000",
      "upstash-failure-callback": `${URL_}?qstash=failure`,
      "upstash-flow-control-key": "sc-acct",
      "upstash-flow-control-value": "parallelism=3, rate=20, period=1m",
    });
    await queue.close();
    await expect(queue.enqueue({ jobId: "j1", chain: "k0", step: 5 }, { idempotencyKey: "j1:k0:5" })).rejects.toBeInstanceOf(ClosedError);
  });

  it("flowControl: false and failureCallback: false leave those headers out", async () => {
    setup();
    const queue = qstashQueue({ ...standIn.credentials, callbackUrl: URL_, flowControl: false, failureCallback: false, env: {} });
    await queue.enqueue({ jobId: "j2", chain: "k0", step: 0 }, { idempotencyKey: "j2:k0:0" });
    const headers = standIn.messages[0]!.headers;
    expect(headers["upstash-flow-control-key"]).toBeUndefined();
    expect(headers["upstash-failure-callback"]).toBeUndefined();
    expect(headers["upstash-delay"]).toBeUndefined();
  });
});

describe("stand-in parsers", () => {
  it("evaluates QStash retry-delay expressions and refuses anything else", () => {
    expect(evaluateRetryDelay("1000", 3)).toBe(1000);
    expect(evaluateRetryDelay("pow(2, retried) * 1000", 3)).toBe(8000);
    expect(evaluateRetryDelay("1000 * (1 + retried)", 2)).toBe(3000);
    expect(evaluateRetryDelay("max(1000, pow(2, retried) * 100)", 1)).toBe(1000);
    expect(evaluateRetryDelay("min(86400, floor(exp(2.5 * retried)))", 0)).toBe(1);
    expect(evaluateRetryDelay("-5", 0)).toBe(0);
    for (const bad of ["", "retried +", "pow(2)", "eval(1)", "1; 2", "constructor"]) {
      expect(() => evaluateRetryDelay(bad, 0), bad).toThrow(SyntaxError);
    }
  });

  it("reads Retry-After as seconds, a date or a duration", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(retryAfterMs(new Headers({ "retry-after": "3" }), now)).toBe(3000);
    expect(retryAfterMs(new Headers({ "retry-after": "Thu, 01 Jan 2026 00:00:10 GMT" }), now)).toBe(10_000);
    expect(retryAfterMs(new Headers({ "x-ratelimit-reset": "6m5s" }), now)).toBe(365_000);
    expect(retryAfterMs(new Headers(), now)).toBeNull();
  });

  it("parses flow-control values", () => {
    expect(parseFlowControl("parallelism=3, rate=20, period=1m")).toEqual({ parallelism: 3, rate: 20, periodMs: 60_000 });
    expect(parseFlowControl("rate=5")).toEqual({ rate: 5, periodMs: 1000 });
    expect(parseFlowControl("period=1s")).toBeNull();
  });
});
