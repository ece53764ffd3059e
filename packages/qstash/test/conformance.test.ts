import type { QueueAdapter } from "@creatorsearch/core";
import { queueConformanceSuite } from "@creatorsearch/test-utils/queue";
import { setupServer } from "msw/node";
import { afterAll, beforeAll } from "vitest";
import { qstashQueue } from "../src/index.js";
import { type QStashStandIn, createQStashStandIn, qstashHandlers } from "../src/testing/index.js";

/*
 * The shared queue contract, run for qstashQueue against the in-process QStash stand-in:
 * publishes go through @upstash/qstash's Client to msw, the stand-in signs each delivery like
 * QStash and hands it to the queue's `receive` (or `cs.receiveDelivery` for the engine checks).
 * Settings map to QStash terms: attempts -> Upstash-Retries, backoff -> Upstash-Retry-Delay,
 * concurrency -> flow-control parallelism.
 */
const msw = setupServer();
beforeAll(() => msw.listen({ onUnhandledRequest: "bypass" }));
afterAll(() => msw.close());

const standIns: QStashStandIn[] = [];
/** Each queue's stand-in, waiting to be told where to deliver. */
const webhooks = new WeakMap<QueueAdapter, (deliver: (request: Request) => Promise<Response>) => void>();
let n = 0;

queueConformanceSuite("qstashQueue (QStash stand-in)", {
  create(settings) {
    const id = ++n;
    let deliver: (request: Request) => Promise<Response> = async () => new Response("webhook not connected", { status: 503 });
    const standIn = createQStashStandIn({ baseUrl: `https://qstash-${id}.test`, deliver: (request) => deliver(request) });
    standIns.push(standIn);
    msw.use(...qstashHandlers(standIn));
    const queue = qstashQueue({
      ...standIn.credentials,
      callbackUrl: `https://app-${id}.test/api/qstash/process-scraping`,
      retries: settings.attempts - 1,
      retryDelay: `pow(2, retried) * ${settings.backoffMs}`,
      flowControl: { key: `conformance-${id}`, parallelism: settings.concurrency },
      env: {},
    });
    webhooks.set(queue, (d) => void (deliver = d));
    return queue;
  },
  connect(queue, deliver) {
    const connect = webhooks.get(queue);
    if (!connect) throw new Error("connect() got a queue this harness did not create");
    connect(deliver);
  },
  async teardown() {
    await Promise.all(standIns.splice(0).map((s) => s.close()));
    msw.resetHandlers();
  },
});
