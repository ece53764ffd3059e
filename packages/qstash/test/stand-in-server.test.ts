import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { QueueConsumer, StepMessage } from "@creatorsearch/core";
import { toNodeHandler } from "@creatorsearch/core/node";
import { afterEach, describe, expect, it } from "vitest";
import { qstashQueue } from "../src/index.js";
import { type QStashStandInServer, startQStashStandInServer } from "../src/testing/index.js";

/*
 * The stand-in as a real HTTP server (for apps and CLIs in other processes): qstashQueue publishes
 * to it over the network with only QSTASH_* variables set, and it delivers to a real webhook.
 */
describe("startQStashStandInServer", () => {
  let qstash: QStashStandInServer | undefined;
  let closeWebhook: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await qstash?.close();
    await closeWebhook?.();
  });

  it("takes publishes over HTTP from a queue configured by QSTASH_* variables and delivers them signed", async () => {
    qstash = await startQStashStandInServer();
    const handled: StepMessage[] = [];
    const consumer: QueueConsumer = { handle: async (m) => void handled.push(m), onFailed: async () => undefined };
    let queue: ReturnType<typeof qstashQueue> | undefined;
    const webhook = createServer(toNodeHandler((request) => queue!.receive(request, consumer)));
    await new Promise<void>((resolve) => webhook.listen(0, "127.0.0.1", resolve));
    closeWebhook = () => new Promise<void>((resolve) => webhook.close(() => resolve()));
    const callbackUrl = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/api/qstash/process-scraping`;
    queue = qstashQueue({
      callbackUrl,
      env: {
        QSTASH_URL: qstash.url,
        QSTASH_TOKEN: qstash.standIn.token,
        QSTASH_CURRENT_SIGNING_KEY: qstash.standIn.currentSigningKey,
        QSTASH_NEXT_SIGNING_KEY: qstash.standIn.nextSigningKey,
      },
    });
    const message = { jobId: "j1", chain: "k0", step: 0 };
    const first = await queue.enqueue(message, { idempotencyKey: "j1:k0:0" });
    expect(await queue.enqueue(message, { idempotencyKey: "j1:k0:0" })).toEqual({ messageId: first.messageId, deduplicated: true });
    await qstash.standIn.onIdle();
    expect(handled).toEqual([message]);
    expect(qstash.standIn.deliveries.map((d) => d.status)).toEqual([200]);
    // A wrong token is refused over HTTP too.
    const refused = await fetch(`${qstash.url}/v2/publish/${callbackUrl}`, { method: "POST", headers: { authorization: "Bearer nope" }, body: "{}" });
    expect(refused.status).toBe(401);
  });
});
