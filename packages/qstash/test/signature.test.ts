import { type QueueConsumer, type StepMessage, UpstreamAuthError, RetryAfterError } from "@creatorsearch/core";
import { SignJWT, decodeJwt } from "jose";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { QSTASH_DEV_CREDENTIALS, memoryReplayStore, qstashQueue } from "../src/index.js";
import { signDelivery } from "../src/testing/index.js";

/*
 * Delivery verification without any network: requests are built by hand, signed (or forged)
 * exactly as QStash signs them, and handed to `receive`. A refused request must run nothing.
 */
const CALLBACK = "https://app.example.test/api/qstash/process-scraping";
const FAILURE = `${CALLBACK}?qstash=failure`;
const KEYS = { currentSigningKey: "sig_test_current_0123456789", nextSigningKey: "sig_test_next_0123456789" };
const message: StepMessage = { jobId: "job-1", chain: "k0", step: 2 };
const body = JSON.stringify(message);

function recordingConsumer(handle: (m: StepMessage) => Promise<void> = async () => undefined) {
  const handled: Array<{ message: StepMessage; attempt: number; maxAttempts: number }> = [];
  const failed: Array<{ message: StepMessage; error: unknown }> = [];
  const consumer: QueueConsumer = {
    async handle(m, delivery) {
      handled.push({ message: m, ...delivery });
      await handle(m);
    },
    async onFailed(m, error) {
      failed.push({ message: m, error });
    },
  };
  return { consumer, handled, failed };
}

function makeQueue(extra: Parameters<typeof qstashQueue>[0] | object = {}) {
  return qstashQueue({ callbackUrl: CALLBACK, token: "qstash_test_token", baseUrl: "https://qstash.test", ...KEYS, env: {}, ...extra });
}

function delivery(signature: string | null, options: { body?: string; url?: string; retried?: number; method?: string } = {}) {
  const headers = new Headers({ "content-type": "application/json" });
  if (signature !== null) headers.set("upstash-signature", signature);
  if (options.retried !== undefined) headers.set("upstash-retried", String(options.retried));
  const method = options.method ?? "POST";
  return new Request(options.url ?? CALLBACK, { method, headers, ...(method === "POST" ? { body: options.body ?? body } : {}) });
}

/** Publishes to the test QStash API (a RetryAfterError's step published again). */
const published: Array<{ headers: Headers; body: string }> = [];
const msw = setupServer(
  http.post("https://qstash.test/v2/publish/*", async ({ request }) => {
    published.push({ headers: request.headers, body: await request.text() });
    return HttpResponse.json({ messageId: `msg_${published.length}` });
  }),
);
beforeAll(() => msw.listen({ onUnhandledRequest: "error" }));
beforeEach(() => void (published.length = 0));
afterAll(() => msw.close());

const sign = (overrides: Partial<Parameters<typeof signDelivery>[0]> = {}) =>
  signDelivery({ key: KEYS.currentSigningKey, url: CALLBACK, body, ...overrides });

describe("qstashQueue.receive: signature matrix", () => {
  const now = Math.floor(Date.now() / 1000);
  const cases: Array<[string, () => Promise<string | null>, string]> = [
    ["missing signature", async () => null, "missing Upstash-Signature"],
    ["empty signature", async () => "", "missing Upstash-Signature"],
    ["garbage signature", async () => "not-a-jwt", ""],
    [
      "forged payload (claims edited, signature kept)",
      async () => {
        const [h, , s] = (await sign({ body: "{}" })).split(".");
        const forged = Buffer.from(JSON.stringify({ ...decodeJwt(await sign()), sub: CALLBACK })).toString("base64url");
        return `${h}.${forged}.${s}`;
      },
      "signature",
    ],
    ["signed with another key", async () => sign({ key: "sig_attacker_key_0000000000" }), "signature"],
    ["signed with the dev server's public key", async () => sign({ key: QSTASH_DEV_CREDENTIALS.currentSigningKey }), "signature"],
    ["expired", async () => sign({ now: now - 600, lifetimeSeconds: 300 }), ""],
    ["not yet valid", async () => sign({ now: now + 120 }), ""],
    ["wrong issuer", async () => sign({ issuer: "Mallory" }), ""],
    ["body changed", async () => sign({ body: JSON.stringify({ ...message, step: 3 }) }), "body hash"],
    ["URL changed", async () => sign({ url: "https://evil.example.test/api/qstash/process-scraping" }), "subject"],
    [
      "alg none",
      async () => {
        const payload = decodeJwt(await sign());
        return `${Buffer.from('{"alg":"none","typ":"JWT"}').toString("base64url")}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.`;
      },
      "",
    ],
  ];

  for (const [name, makeSignature, reason] of cases) {
    it(`${name} -> 401, nothing runs`, async () => {
      const queue = makeQueue();
      const { consumer, handled, failed } = recordingConsumer();
      const response = await queue.receive(delivery(await makeSignature()), consumer);
      expect(response.status).toBe(401);
      const json = (await response.json()) as { error: string };
      expect(json.error).toMatch(/^invalid QStash signature/);
      if (reason) expect(json.error).toContain(reason);
      expect(handled).toEqual([]);
      expect(failed).toEqual([]);
    });
  }

  it("replayed signature -> 401 the second time, the step runs once", async () => {
    const queue = makeQueue();
    const { consumer, handled } = recordingConsumer();
    const signature = await sign();
    expect((await queue.receive(delivery(signature), consumer)).status).toBe(200);
    const replay = await queue.receive(delivery(signature), consumer);
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { error: string }).error).toContain("replay");
    expect(handled).toHaveLength(1);
  });

  it("concurrent replays: exactly one of them runs", async () => {
    const queue = makeQueue();
    const { consumer, handled } = recordingConsumer();
    const signature = await sign();
    const statuses = await Promise.all(Array.from({ length: 8 }, () => queue.receive(delivery(signature), consumer).then((r) => r.status)));
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 401)).toHaveLength(7);
    expect(handled).toHaveLength(1);
  });

  it("a shared replay store stops a replay sent to another replica", async () => {
    const store = memoryReplayStore();
    const a = makeQueue({ replayStore: store });
    const b = makeQueue({ replayStore: store });
    const { consumer, handled } = recordingConsumer();
    const signature = await sign();
    expect((await a.receive(delivery(signature), consumer)).status).toBe(200);
    expect((await b.receive(delivery(signature), consumer)).status).toBe(401);
    expect(handled).toHaveLength(1);
  });

  it("accepts the next key (key rotation) and the current key", async () => {
    const queue = makeQueue();
    const { consumer, handled } = recordingConsumer();
    expect((await queue.receive(delivery(await sign({ key: KEYS.nextSigningKey })), consumer)).status).toBe(200);
    expect((await queue.receive(delivery(await sign()), consumer)).status).toBe(200);
    expect(handled).toHaveLength(2);
  });

  it("verifies against the configured public URL, not the URL the request arrived on (proxies)", async () => {
    const queue = makeQueue();
    const { consumer, handled } = recordingConsumer();
    const internal = "http://10.0.0.7:3000/api/qstash/process-scraping";
    expect((await queue.receive(delivery(await sign(), { url: internal }), consumer)).status).toBe(200);
    // Signed for the internal URL: refused, even though that is where it arrived.
    expect((await queue.receive(delivery(await sign({ url: internal }), { url: internal }), consumer)).status).toBe(401);
    expect(handled).toHaveLength(1);
  });

  it("QSTASH_DEV=true never makes the receiver accept the dev server's keys", async () => {
    const before = process.env.QSTASH_DEV;
    process.env.QSTASH_DEV = "true";
    try {
      const queue = makeQueue();
      const { consumer, handled } = recordingConsumer();
      const devSigned = await sign({ key: QSTASH_DEV_CREDENTIALS.currentSigningKey });
      expect((await queue.receive(delivery(devSigned), consumer)).status).toBe(401);
      expect((await queue.receive(delivery(await sign()), consumer)).status).toBe(200);
      expect(handled).toHaveLength(1);
    } finally {
      if (before === undefined) delete process.env.QSTASH_DEV;
      else process.env.QSTASH_DEV = before;
    }
  });

  it("clockToleranceSeconds accepts a slightly early signature", async () => {
    const queue = makeQueue({ clockToleranceSeconds: 30 });
    const { consumer } = recordingConsumer();
    const early = await sign({ now: Math.floor(Date.now() / 1000) + 10 });
    expect((await queue.receive(delivery(early), consumer)).status).toBe(200);
  });
});

describe("qstashQueue.receive: outcomes in QStash terms", () => {
  let queue: ReturnType<typeof makeQueue>;
  beforeEach(() => {
    queue = makeQueue({ retries: 4 });
  });
  afterEach(() => queue.close());

  it("done -> 200; attempt comes from Upstash-Retried, maxAttempts from retries", async () => {
    const { consumer, handled } = recordingConsumer();
    const response = await queue.receive(delivery(await sign(), { retried: 2 }), consumer);
    expect(response.status).toBe(200);
    expect(handled).toEqual([{ message, attempt: 3, maxAttempts: 5 }]);
  });

  it("RetryAfterError -> 429 with Retry-After in whole seconds, rounded up, while retries are left; not failed", async () => {
    const { consumer, failed } = recordingConsumer(async () => {
      throw new RetryAfterError("ScrapeCreators rate limit", 2_300);
    });
    for (const retried of [0, 3]) {
      const response = await queue.receive(delivery(await sign(), { retried }), consumer);
      expect(response.status).toBe(429);
      expect(response.headers.get("retry-after")).toBe("3");
    }
    expect(published).toEqual([]);
    expect(failed).toEqual([]);
  });

  it("RetryAfterError on the last retry -> the step is published again with the delay, and 200", async () => {
    const { consumer, failed } = recordingConsumer(async () => {
      throw new RetryAfterError("ScrapeCreators rate limit", 2_300);
    });
    const response = await queue.receive(delivery(await sign(), { retried: 4 }), consumer);
    expect(response.status).toBe(200);
    expect(published).toHaveLength(1);
    expect(published[0]!.headers.get("upstash-delay")).toBe("3s");
    expect(JSON.parse(published[0]!.body)).toEqual({ ...message, priorAttempts: 4 });
    expect(failed).toEqual([]);
  });

  it('RetryAfterError with retryAfter: "republish" -> published again and 200 on every delivery', async () => {
    queue = makeQueue({ retries: 4, retryAfter: "republish" });
    const { consumer } = recordingConsumer(async () => {
      throw new RetryAfterError("ScrapeCreators rate limit", 2_300);
    });
    const response = await queue.receive(delivery(await sign()), consumer);
    expect(response.status).toBe(200);
    expect(published).toHaveLength(1);
  });

  it("non-retryable error -> 489 + Upstash-NonRetryable-Error, and the message fails", async () => {
    const error = new UpstreamAuthError("bad ScrapeCreators key");
    const { consumer, failed } = recordingConsumer(async () => {
      throw error;
    });
    const response = await queue.receive(delivery(await sign()), consumer);
    expect(response.status).toBe(489);
    expect(response.headers.get("upstash-nonretryable-error")).toBe("true");
    expect(failed).toEqual([{ message, error }]);
  });

  it("other errors -> 500 so QStash retries; the message does not fail yet", async () => {
    const { consumer, failed } = recordingConsumer(async () => {
      throw new Error("database connection reset");
    });
    const response = await queue.receive(delivery(await sign()), consumer);
    expect(response.status).toBe(500);
    expect(((await response.json()) as { error: string }).error).toContain("database connection reset");
    expect(failed).toEqual([]);
  });

  it("a validly signed body that is not a step message -> 489, nothing runs", async () => {
    const { consumer, handled } = recordingConsumer();
    const bad = JSON.stringify({ jobId: "", step: -1 });
    const response = await queue.receive(delivery(await sign({ body: bad }), { body: bad }), consumer);
    expect(response.status).toBe(489);
    expect(handled).toEqual([]);
  });

  it("failure callback -> onFailed with the original message and QStash's last answer", async () => {
    const { consumer, handled, failed } = recordingConsumer();
    const payload = JSON.stringify({
      status: 500,
      body: Buffer.from("database down").toString("base64"),
      retried: 4,
      maxRetries: 4,
      sourceMessageId: "msg_1",
      sourceBody: Buffer.from(body).toString("base64"),
    });
    const response = await queue.receive(delivery(await sign({ url: FAILURE, body: payload }), { url: FAILURE, body: payload }), consumer);
    expect(response.status).toBe(200);
    expect(handled).toEqual([]);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.message).toEqual(message);
    expect(String(failed[0]!.error)).toMatch(/gave up after 4 retries \(last response 500: database down\)/);
  });

  it("a failure callback after our own 489 is acknowledged without reporting the failure twice", async () => {
    const { consumer, failed } = recordingConsumer();
    const payload = JSON.stringify({ status: 489, retried: 0, sourceBody: Buffer.from(body).toString("base64") });
    const response = await queue.receive(delivery(await sign({ url: FAILURE, body: payload }), { url: FAILURE, body: payload }), consumer);
    expect(response.status).toBe(200);
    expect(failed).toEqual([]);
  });

  it("attempts add up across re-publishes: priorAttempts + Upstash-Retried + 1", async () => {
    const { consumer, handled } = recordingConsumer();
    const republished = JSON.stringify({ ...message, priorAttempts: 2 });
    const response = await queue.receive(delivery(await sign({ body: republished }), { body: republished, retried: 1 }), consumer);
    expect(response.status).toBe(200);
    expect(handled).toEqual([{ message, attempt: 4, maxAttempts: 5 }]);
  });

  it("a failure callback needs a signature for the failure URL: a step signature is refused", async () => {
    const { consumer, failed } = recordingConsumer();
    const payload = JSON.stringify({ sourceBody: Buffer.from(body).toString("base64") });
    const response = await queue.receive(delivery(await sign({ body: payload }), { url: FAILURE, body: payload }), consumer);
    expect(response.status).toBe(401);
    expect(failed).toEqual([]);
  });

  it("GET -> 405", async () => {
    const { consumer } = recordingConsumer();
    expect((await queue.receive(delivery(await sign(), { method: "GET" }), consumer)).status).toBe(405);
  });

  it("close() waits for a delivery in flight, then answers 503 so QStash retries later", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { consumer } = recordingConsumer(() => gate);
    const pending = queue.receive(delivery(await sign()), consumer);
    await new Promise((r) => setTimeout(r, 20));
    let closed = false;
    const closing = queue.close().then(() => (closed = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(closed).toBe(false);
    release();
    await closing;
    expect((await pending).status).toBe(200);
    expect((await queue.receive(delivery(await sign()), consumer)).status).toBe(503);
  });
});

describe("qstashQueue options", () => {
  it("names each missing setting and its environment variable", () => {
    expect(() => qstashQueue({ callbackUrl: CALLBACK, env: {} })).toThrowError(
      /token: is required \(or set QSTASH_TOKEN\).*currentSigningKey: is required \(or set QSTASH_CURRENT_SIGNING_KEY\).*nextSigningKey: is required \(or set QSTASH_NEXT_SIGNING_KEY\)/,
    );
    expect(() => makeQueue({ callbackUrl: "/api/qstash/process-scraping" })).toThrowError(/callbackUrl: must be an absolute URL/);
    expect(() => makeQueue({ callbackUrl: "ftp://x.test/q" })).toThrowError(/callbackUrl: must be an http\(s\) URL/);
    expect(() => makeQueue({ flowControl: { key: "a:b", parallelism: 1 } })).toThrowError(/flowControl/);
    expect(() => makeQueue({ flowControl: { key: "sc" } })).toThrowError(/needs parallelism or rate/);
    expect(() => makeQueue({ retries: -1 })).toThrowError(/retries/);
  });

  it("falls back to the QSTASH_* variables", () => {
    const queue = qstashQueue({
      callbackUrl: CALLBACK,
      env: { QSTASH_TOKEN: "t", QSTASH_URL: "http://127.0.0.1:8080/", QSTASH_CURRENT_SIGNING_KEY: "c", QSTASH_NEXT_SIGNING_KEY: "n" },
    });
    expect(queue.options).toMatchObject({ token: "t", baseUrl: "http://127.0.0.1:8080", currentSigningKey: "c", nextSigningKey: "n" });
    expect(queue.options.failureCallbackUrl).toBe(FAILURE);
    expect(queue.options.flowControl).toEqual({ key: "creatorsearch-scrapecreators", parallelism: 10 });
  });

  it("refuses the dev server's public credentials when NODE_ENV=production, and says why", () => {
    const dev = { ...QSTASH_DEV_CREDENTIALS };
    expect(() => qstashQueue({ callbackUrl: CALLBACK, ...dev, env: { NODE_ENV: "production" } })).toThrowError(
      /token, currentSigningKey, nextSigningKey are the QStash dev server's public credential, refused when NODE_ENV=production/,
    );
    expect(() =>
      qstashQueue({ callbackUrl: CALLBACK, token: "real", currentSigningKey: "real", nextSigningKey: dev.nextSigningKey, env: { NODE_ENV: "production" } }),
    ).toThrowError(/nextSigningKey is the QStash dev server's public credential/);
    expect(() => qstashQueue({ callbackUrl: CALLBACK, ...dev, env: { NODE_ENV: "development" } })).not.toThrow();
  });

  it("a JWT without jti is refused even when correctly signed", async () => {
    const queue = makeQueue();
    const { consumer, handled } = recordingConsumer();
    const { body: hash } = decodeJwt(await sign()) as { body: string };
    const noJti = await new SignJWT({ body: hash })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer("Upstash")
      .setSubject(CALLBACK)
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(new TextEncoder().encode(KEYS.currentSigningKey));
    expect((await queue.receive(delivery(noJti), consumer)).status).toBe(401);
    expect(handled).toEqual([]);
  });
});
