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
let connect: (deliver: (request: Request) => Promise<Response>) => void = () => undefined;
let n = 0;

queueConformanceSuite("qstashQueue (QStash stand-in)", {
  create(settings) {
    const id = ++n;
    let deliver: (request: Request) => Promise<Response> = async () => new Response("webhook not connected", { status: 503 });
    const standIn = createQStashStandIn({ baseUrl: `https://qstash-${id}.test`, deliver: (request) => deliver(request) });
    standIns.push(standIn);
    msw.use(...qstashHandlers(standIn));
    // The suite connects right after creating (the engine checks wrap the queue first).
    connect = (d) => void (deliver = d);
    return qstashQueue({
      ...standIn.credentials,
      callbackUrl: `https://app-${id}.test/api/qstash/process-scraping`,
      retries: settings.attempts - 1,
      retryDelay: `pow(2, retried) * ${settings.backoffMs}`,
      flowControl: { key: `conformance-${id}`, parallelism: settings.concurrency },
      env: {},
    });
  },
  connect: (_queue, deliver) => connect(deliver),
  async teardown() {
    await Promise.all(standIns.splice(0).map((s) => s.close()));
    msw.resetHandlers();
  },
});
