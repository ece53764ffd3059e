import PQueue from "p-queue";
import { parseDelay, parseFlowControl, retryAfterMs } from "./retry-after.js";
import { evaluateRetryDelay } from "./retry-delay.js";
import { signDelivery } from "./sign.js";

/** Options of {@link createQStashStandIn}. */
export interface QStashStandInOptions {
  /** The QStash API URL it answers (what msw intercepts). Default `https://qstash.upstash.io`. */
  baseUrl?: string;
  /** Token publishers must send. Default: a random `qstash_test_…` one. */
  token?: string;
  /** Signing keys. Default: random `sig_test_…` ones, so no key is shared between test runs. */
  currentSigningKey?: string;
  nextSigningKey?: string;
  /**
   * Sends a signed delivery and returns the webhook's answer. Default `globalThis.fetch` (a real
   * HTTP request to the destination URL). Pass `(request) => cs.receiveDelivery(request)` to skip
   * the network.
   */
  deliver?: (request: Request) => Promise<Response>;
  /**
   * Wait before retry number `retried + 1` when the answer had no Retry-After and the message no
   * `Upstash-Retry-Delay`. Default `min(1000, 100 * 2^retried)` ms (QStash's own is 12 s, 2.5 min...).
   */
  retryBackoffMs?: (retried: number) => number;
  /** Retries when a publish does not set `Upstash-Retries`. Default 3, like QStash. */
  defaultRetries?: number;
  /**
   * Extra copies of a message's first delivery, sent concurrently with it (each freshly signed),
   * to exercise at-least-once handling. A number, or a function of the message. Default 0.
   */
  duplicateDeliveries?: number | ((message: PublishedMessage) => number);
  /** How long a deduplication id is remembered. Default 10 minutes, like QStash. */
  dedupeWindowMs?: number;
}

/** A message the stand-in accepted from a publish. */
export interface PublishedMessage {
  messageId: string;
  destination: string;
  body: string;
  deduplicationId: string | null;
  /** Earliest delivery time (ms since the epoch). */
  notBefore: number;
  retries: number;
  retryDelay: string | null;
  failureCallback: string | null;
  flowControl: { key: string; value: string } | null;
  /** Every request header of the publish call. */
  headers: Record<string, string>;
  /** `delivered`, `failed` (retries spent or 489), or still `pending`. */
  state: "pending" | "delivered" | "failed";
  /** True for the failure callbacks the stand-in itself sends. */
  isFailureCallback: boolean;
}

/** One HTTP delivery attempt the stand-in made. */
export interface DeliveryAttempt {
  messageId: string;
  url: string;
  /** The `Upstash-Retried` header sent (0 on the first attempt). */
  retried: number;
  /** The webhook's status, 0 when the request itself failed. */
  status: number;
  /** The webhook's response body (first 500 characters) or the network error. */
  response: string;
  /** True for an extra copy sent by `duplicateDeliveries`. */
  duplicate: boolean;
  at: number;
}

/** An in-process QStash: the publish API as a Web handler plus a delivery loop. */
export interface QStashStandIn {
  readonly baseUrl: string;
  readonly token: string;
  readonly currentSigningKey: string;
  readonly nextSigningKey: string;
  /** `{ baseUrl, token, currentSigningKey, nextSigningKey }`, to spread into `qstashQueue`. */
  readonly credentials: { baseUrl: string; token: string; currentSigningKey: string; nextSigningKey: string };
  /** Accepted messages, in publish order (failure callbacks included). */
  readonly messages: readonly PublishedMessage[];
  /** Every delivery attempt, in order. */
  readonly deliveries: readonly DeliveryAttempt[];
  /** Publishes answered as duplicates of an earlier deduplication id. */
  readonly deduplicatedPublishes: number;
  /** The QStash API as a Web handler (`POST /v2/publish/{url}`). */
  fetch(request: Request): Promise<Response>;
  /** Signs `body` for `url` with the key in use (see {@link QStashStandIn.rotateKeys}), as QStash would. */
  sign(url: string, body: string): Promise<string>;
  /** Answers the next `count` publishes with `status` (default 500) and a QStash-like error, as in an outage. */
  failNextPublishes(count: number, status?: number): void;
  /** Signs with the next key from now on, like QStash after a key rotation. */
  rotateKeys(): void;
  /** Resolves when no message is pending: every one delivered or failed (callbacks sent). */
  onIdle(): Promise<void>;
  /** Cancels scheduled deliveries and waits for those in flight. */
  close(): Promise<void>;
}

interface Live {
  message: PublishedMessage;
  retried: number;
  method: string;
  forward: Headers;
  timer?: ReturnType<typeof setTimeout>;
}

const json = (status: number, body: unknown) => Response.json(body, { status });
const randomKey = (prefix: string) => `${prefix}${globalThis.crypto.randomUUID().replaceAll("-", "")}`;

/**
 * Creates a QStash stand-in for tests: it accepts publishes like `https://qstash.upstash.io`
 * (token, `Upstash-Delay`/`Not-Before`, `Deduplication-Id`, `Retries`, `Failure-Callback`,
 * `Flow-Control-*`, `Forward-*`), then makes real signed deliveries (HS256 JWT like QStash's) and
 * reacts like QStash: 2xx done; 429/5xx/network error retried after `Retry-After` or a backoff;
 * 489 + `Upstash-NonRetryable-Error` failed at once; a failed message triggers its failure
 * callback. Flow-control keys hold `parallelism` and `rate` per `period` across messages.
 *
 * `Upstash-Retry-Delay` expressions are evaluated like QStash does. Differences from QStash: the
 * default retry backoff is fast (`retryBackoffMs`); only `POST /v2/publish/{url}` is implemented.
 */
export function createQStashStandIn(options: QStashStandInOptions = {}): QStashStandIn {
  const baseUrl = (options.baseUrl ?? "https://qstash.upstash.io").replace(/\/+$/, "");
  const token = options.token ?? randomKey("qstash_test_");
  let currentSigningKey = options.currentSigningKey ?? randomKey("sig_test_");
  let nextSigningKey = options.nextSigningKey ?? randomKey("sig_test_");
  const initialKeys = { currentSigningKey, nextSigningKey };
  const deliver = options.deliver ?? ((request: Request) => globalThis.fetch(request));
  const backoff = options.retryBackoffMs ?? ((retried: number) => Math.min(1000, 100 * 2 ** retried));
  const dedupeWindowMs = options.dedupeWindowMs ?? 10 * 60_000;
  const duplicatesOf = (m: PublishedMessage) =>
    typeof options.duplicateDeliveries === "function" ? options.duplicateDeliveries(m) : (options.duplicateDeliveries ?? 0);

  const messages: PublishedMessage[] = [];
  const deliveries: DeliveryAttempt[] = [];
  const dedupe = new Map<string, { messageId: string; at: number }>();
  const flows = new Map<string, PQueue>();
  const live = new Set<Live>();
  const running = new Set<Promise<unknown>>();
  const idleWaiters: Array<() => void> = [];
  let deduplicatedPublishes = 0;
  let outage = { count: 0, status: 500 };
  let closed = false;
  let nextId = 0;

  const settle = (entry: Live, state: "delivered" | "failed") => {
    entry.message.state = state;
    live.delete(entry);
    if (live.size === 0) idleWaiters.splice(0).forEach((resolve) => resolve());
  };

  const flowQueue = (flow: { key: string; value: string }) => {
    let queue = flows.get(flow.key);
    if (!queue) {
      const parsed = parseFlowControl(flow.value)!;
      queue = new PQueue({
        ...(parsed.parallelism ? { concurrency: parsed.parallelism } : {}),
        ...(parsed.rate ? { intervalCap: parsed.rate, interval: parsed.periodMs, strict: true } : {}),
      });
      flows.set(flow.key, queue);
    }
    return queue;
  };

  const attempt = async (entry: Live, duplicate: boolean): Promise<{ status: number; headers: Headers; text: string }> => {
    const { message } = entry;
    const headers = new Headers(entry.forward);
    headers.set("Upstash-Signature", await signDelivery({ key: currentSigningKey, url: message.destination, body: message.body }));
    headers.set("Upstash-Retried", String(entry.retried));
    headers.set("Upstash-Message-Id", message.messageId);
    headers.set("User-Agent", "Upstash-QStash");
    let status = 0;
    let text = "";
    let responseHeaders = new Headers();
    try {
      const response = await deliver(new Request(message.destination, { method: entry.method, headers, body: message.body }));
      status = response.status;
      responseHeaders = response.headers;
      text = await response.text();
    } catch (error) {
      text = error instanceof Error ? error.message : String(error);
    }
    deliveries.push({ messageId: message.messageId, url: message.destination, retried: entry.retried, status, response: text.slice(0, 500), duplicate, at: Date.now() });
    return { status, headers: responseHeaders, text };
  };

  const run = async (entry: Live) => {
    if (closed) return;
    const copies = entry.retried === 0 && !entry.message.isFailureCallback ? duplicatesOf(entry.message) : 0;
    const [result] = await Promise.all([attempt(entry, false), ...Array.from({ length: copies }, () => attempt(entry, true))]);
    const { status, headers, text } = result!;
    if (status >= 200 && status < 300) return settle(entry, "delivered");
    const nonRetryable = status === 489 && headers.get("upstash-nonretryable-error") === "true";
    if (!nonRetryable && entry.retried < entry.message.retries) {
      const { retryDelay } = entry.message;
      const wait = retryAfterMs(headers) ?? (retryDelay ? evaluateRetryDelay(retryDelay, entry.retried) : backoff(entry.retried));
      entry.retried += 1;
      return schedule(entry, Date.now() + Math.min(wait, 86_400_000));
    }
    // The callback is queued before the message settles, so onIdle() also waits for it.
    if (entry.message.failureCallback) sendFailureCallback(entry, status, headers, text);
    settle(entry, "failed");
  };

  const schedule = (entry: Live, at: number) => {
    if (closed) return;
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      const task = () => run(entry);
      const work = entry.message.flowControl ? flowQueue(entry.message.flowControl).add(task) : task();
      running.add(work);
      void work.finally(() => running.delete(work)).catch(() => undefined);
    }, Math.max(0, at - Date.now()));
  };

  const accept = (message: Omit<PublishedMessage, "messageId" | "state">, method: string, forward: Headers) => {
    const full: PublishedMessage = { ...message, messageId: `msg_test_${++nextId}`, state: "pending" };
    messages.push(full);
    const entry: Live = { message: full, retried: 0, method, forward };
    live.add(entry);
    schedule(entry, full.notBefore);
    return full;
  };

  // What QStash POSTs to a failure callback (base64 bodies, as documented).
  const sendFailureCallback = (entry: Live, status: number, headers: Headers, text: string) => {
    const { message } = entry;
    const header: Record<string, string[]> = {};
    headers.forEach((value, name) => void (header[name] = [value]));
    const body = JSON.stringify({
      status,
      header,
      body: Buffer.from(text).toString("base64"),
      retried: entry.retried,
      maxRetries: message.retries,
      dlqId: `dlq_test_${message.messageId}`,
      sourceMessageId: message.messageId,
      url: message.destination,
      method: entry.method,
      sourceHeader: Object.fromEntries(Object.entries(message.headers).map(([k, v]) => [k, [v]])),
      sourceBody: Buffer.from(message.body).toString("base64"),
      notBefore: message.notBefore,
      createdAt: Date.now(),
    });
    accept(
      {
        destination: message.failureCallback!,
        body,
        deduplicationId: null,
        notBefore: Date.now(),
        retries: message.retries,
        retryDelay: null,
        failureCallback: null,
        flowControl: null,
        headers: { "content-type": "application/json" },
        isFailureCallback: true,
      },
      "POST",
      new Headers({ "Content-Type": "application/json" }),
    );
  };

  async function publish(request: Request, destination: string): Promise<Response> {
    let target: URL;
    try {
      target = new URL(destination);
      if (!/^https?:$/.test(target.protocol)) throw new Error("not http");
    } catch {
      return json(400, { error: `invalid destination url: ${destination}` });
    }
    const h = request.headers;
    const now = Date.now();
    const dedupId = h.get("upstash-deduplication-id");
    if (dedupId) {
      for (const [id, seen] of dedupe) if (now - seen.at > dedupeWindowMs) dedupe.delete(id);
      const seen = dedupe.get(dedupId);
      if (seen) {
        deduplicatedPublishes += 1;
        return json(202, { messageId: seen.messageId, url: target.href, deduplicated: true });
      }
    }
    const delayHeader = h.get("upstash-delay");
    const delay = parseDelay(delayHeader);
    if (delayHeader && delay === null) return json(400, { error: `invalid Upstash-Delay: ${delayHeader}` });
    const notBeforeHeader = h.get("upstash-not-before");
    const notBefore = notBeforeHeader ? Number(notBeforeHeader) * 1000 : now + (delay ?? 0);
    if (!Number.isFinite(notBefore)) return json(400, { error: `invalid Upstash-Not-Before: ${notBeforeHeader}` });
    const retriesHeader = h.get("upstash-retries");
    const retries = retriesHeader === null ? (options.defaultRetries ?? 3) : Number(retriesHeader);
    if (!Number.isInteger(retries) || retries < 0) return json(400, { error: `invalid Upstash-Retries: ${retriesHeader}` });
    const retryDelay = h.get("upstash-retry-delay");
    if (retryDelay) {
      try {
        evaluateRetryDelay(retryDelay, 0);
      } catch (error) {
        return json(400, { error: (error as Error).message });
      }
    }
    const flowKey = h.get("upstash-flow-control-key");
    const flowValue = h.get("upstash-flow-control-value");
    if (flowKey && !parseFlowControl(flowValue)) return json(400, { error: `invalid Upstash-Flow-Control-Value: ${flowValue}` });

    const forward = new Headers();
    const contentType = h.get("content-type");
    if (contentType) forward.set("Content-Type", contentType);
    h.forEach((value, name) => {
      if (name.startsWith("upstash-forward-")) forward.set(name.slice("upstash-forward-".length), value);
    });
    const headers: Record<string, string> = {};
    h.forEach((value, name) => void (headers[name] = value));
    const message = accept(
      {
        destination: target.href,
        body: await request.text(),
        deduplicationId: dedupId,
        notBefore,
        retries,
        retryDelay,
        failureCallback: h.get("upstash-failure-callback"),
        flowControl: flowKey ? { key: flowKey, value: flowValue! } : null,
        headers,
        isFailureCallback: false,
      },
      h.get("upstash-method") ?? "POST",
      forward,
    );
    if (dedupId) dedupe.set(dedupId, { messageId: message.messageId, at: now });
    return json(201, { messageId: message.messageId, url: target.href });
  }

  return {
    baseUrl,
    token,
    ...initialKeys,
    credentials: { baseUrl, token, ...initialKeys },
    messages,
    deliveries,
    get deduplicatedPublishes() {
      return deduplicatedPublishes;
    },
    async fetch(request) {
      const url = new URL(request.url);
      const prefix = `${new URL(baseUrl).pathname.replace(/\/+$/, "")}/v2/publish/`;
      if (request.headers.get("authorization") !== `Bearer ${token}`) return json(401, { error: "Unauthorized" });
      if (closed) return json(503, { error: "stand-in is closed" });
      if (request.method === "POST" && url.pathname.startsWith(prefix)) {
        if (outage.count > 0) {
          outage.count -= 1;
          return json(outage.status, { error: "simulated QStash outage" });
        }
        return publish(request, url.pathname.slice(prefix.length) + url.search);
      }
      return json(404, { error: `the QStash stand-in implements POST /v2/publish/{url} only, not ${request.method} ${url.pathname}` });
    },
    failNextPublishes(count, status = 500) {
      outage = { count, status };
    },
    sign: (url, body) => signDelivery({ key: currentSigningKey, url, body }),
    rotateKeys() {
      currentSigningKey = nextSigningKey;
      nextSigningKey = randomKey("sig_test_");
    },
    onIdle() {
      return live.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
    async close() {
      closed = true;
      for (const entry of live) if (entry.timer) clearTimeout(entry.timer);
      for (const queue of flows.values()) queue.clear();
      while (running.size) await Promise.allSettled([...running]);
      live.clear();
      idleWaiters.splice(0).forEach((resolve) => resolve());
    },
  };
}
