import {
  ClosedError,
  type EnqueueOptions,
  type EnqueueResult,
  type QueueAdapter,
  type QueueConsumer,
  RetryAfterError,
  type StepMessage,
  isRetryable,
  stepKey,
} from "@creatorsearch/core";
import { Client } from "@upstash/qstash";
import { FailureCallbackSchema, fromBase64, messageBody, parseStepMessage } from "./messages.js";
import { FAILURE_CALLBACK_PARAM, FAILURE_CALLBACK_VALUE, type QStashQueueOptions, type ResolvedQStashOptions, resolveOptions } from "./options.js";
import { deliveryResponse as reply } from "./responses.js";
import { createVerifier } from "./verify.js";

/** The queue {@link qstashQueue} returns. */
export interface QStashQueue extends QueueAdapter {
  readonly id: "qstash";
  receive(request: Request, consumer: QueueConsumer): Promise<Response>;
  /** The options in force (defaults and `QSTASH_*` fallbacks applied). Secrets included: do not log. */
  readonly options: Readonly<ResolvedQStashOptions>;
}

/** QStash gave up on a message (its failure callback); the job ends with this error. */
export class QStashDeliveryFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "QStashDeliveryFailedError";
  }
}

/**
 * A push queue on Upstash QStash. `enqueue` publishes the step as JSON to `callbackUrl` with a
 * `deduplicationId` (the idempotency key), the delay (rounded up to whole seconds), `retries`,
 * a failure callback, and a flow-control key that paces every job's steps together.
 * QStash then POSTs each step to `callbackUrl`; route that to `cs.receiveDelivery(request)`
 * (the core HTTP handler does it for `POST {basePath}/qstash/process-scraping`).
 *
 * Each delivery is verified before anything runs: the raw body and `callbackUrl` against the
 * signature with the current and next signing key, and the signature's `jti` is remembered until
 * it expires so a captured request cannot be replayed (401 otherwise). Outcomes map to QStash:
 * step done or duplicate -> 200; `RetryAfterError` -> 429 + `Retry-After` while the message has
 * retries left, and on its last one the step is published again with that delay and the delivery
 * acknowledged, so a long wait cannot fail the job (`retryAfter: "republish"` always does the
 * latter); non-retryable error -> 489 + `Upstash-NonRetryable-Error: true` and the job fails;
 * other errors -> 500 and QStash retries with backoff; the failure callback ends the job `error`.
 *
 * Dedupe window: QStash keeps deduplication ids for about 10 minutes; later duplicates are
 * delivered and lose the engine's step claim (acknowledged, no second API call).
 *
 * @example
 * ```typescript
 * const cs = createCreatorSearch({
 *   storage: postgresStorage({ url: process.env.DATABASE_URL }),
 *   queue: qstashQueue({ callbackUrl: "https://app.example.com/api/qstash/process-scraping" }),
 *   platforms: [tiktok()],
 * });
 * ```
 */
export function qstashQueue(options: QStashQueueOptions): QStashQueue {
  const resolved = resolveOptions(options);
  const client = new Client({ token: resolved.token, baseUrl: resolved.baseUrl, devMode: false });
  const verify = createVerifier(resolved);
  const inFlight = new Set<Promise<unknown>>();
  let closing = false; // close() called: deliveries get 503, steps in flight may still enqueue
  let closed = false; // close() resolved: enqueue refuses

  const track = <T>(work: Promise<T>): Promise<T> => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work)).catch(() => undefined);
    return work;
  };

  const publish = (message: StepMessage, p: { deduplicationId: string; delayMs?: number; priorAttempts?: number }) => {
    const delaySeconds = p.delayMs ? Math.ceil(p.delayMs / 1000) : 0;
    const priorAttempts = p.priorAttempts ?? 0;
    return client.publishJSON({
      url: resolved.callbackUrl,
      body: messageBody(message, priorAttempts),
      deduplicationId: p.deduplicationId,
      // Attempts add up across re-publishes: a step never gets more than retries + 1 failed deliveries.
      retries: Math.max(0, resolved.retries - priorAttempts),
      ...(delaySeconds ? { delay: delaySeconds } : {}),
      ...(resolved.retryDelay ? { retryDelay: resolved.retryDelay } : {}),
      ...(resolved.failureCallbackUrl ? { failureCallback: resolved.failureCallbackUrl } : {}),
      ...(resolved.flowControl ? { flowControl: resolved.flowControl as never } : {}),
    });
  };

  /**
   * `RetryAfterError`: answer 429 + Retry-After while QStash has retries left for this message.
   * On its last delivery (or always, with `retryAfter: "republish"`), publish the step again after
   * its delay and acknowledge this delivery instead, since a 429 there would fail the job. The
   * dedupe id derives from this message's id, so duplicate deliveries re-publish once. If
   * publishing fails, answer 429 + Retry-After and let QStash retry instead.
   */
  async function later(request: Request, message: StepMessage, attempt: number, error: RetryAfterError): Promise<Response> {
    const retriesLeft = attempt <= resolved.retries;
    if (resolved.retryAfter === "respond-429" && retriesLeft) return reply.retryAfter(error.retryAfterMs, error.message);
    const messageId = request.headers.get("upstash-message-id") ?? `${stepKey(message)}-${globalThis.crypto.randomUUID()}`;
    try {
      await publish(message, { deduplicationId: `${messageId}-later`, delayMs: error.retryAfterMs, priorAttempts: attempt - 1 });
    } catch {
      return reply.retryAfter(error.retryAfterMs, error.message);
    }
    return reply.done(`retry after ${error.retryAfterMs} ms: ${error.message}`);
  }

  async function runStep(request: Request, body: { message: StepMessage; priorAttempts: number }, consumer: QueueConsumer): Promise<Response> {
    const { message, priorAttempts } = body;
    const retriedHeader = Number.parseInt(request.headers.get("upstash-retried") ?? "0", 10);
    const attempt = priorAttempts + (Number.isFinite(retriedHeader) && retriedHeader > 0 ? retriedHeader : 0) + 1;
    try {
      await consumer.handle(message, { attempt, maxAttempts: resolved.retries + 1 });
      return reply.done("step handled");
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (error instanceof RetryAfterError) return later(request, message, attempt, error);
      if (isRetryable(error)) return reply.failed(reason);
      try {
        await consumer.onFailed(message, error);
      } catch (failure) {
        // Recording the failure did not work: let QStash retry the whole delivery.
        return reply.failed(failure instanceof Error ? failure.message : String(failure));
      }
      return reply.nonRetryable(reason);
    }
  }

  async function runFailureCallback(rawBody: string, consumer: QueueConsumer): Promise<Response> {
    let payload;
    try {
      payload = FailureCallbackSchema.parse(JSON.parse(rawBody));
    } catch {
      return reply.nonRetryable("failure callback body is not QStash's failure payload");
    }
    // A 489 was our own answer, after `onFailed` already ran with the real error.
    if (payload.status === 489) return reply.done("failure already recorded");
    const source = parseStepMessage(fromBase64(payload.sourceBody));
    if (!source) return reply.nonRetryable("failure callback's sourceBody is not a step message");
    const last = fromBase64(payload.body).slice(0, 300);
    await consumer.onFailed(
      source.message,
      new QStashDeliveryFailedError(
        `QStash gave up after ${payload.retried ?? "?"} retries` +
          (payload.status ? ` (last response ${payload.status}${last ? `: ${last}` : ""})` : ""),
      ),
    );
    return reply.done("failure recorded");
  }

  return {
    id: "qstash",
    options: resolved,

    async enqueue(message: StepMessage, opts: EnqueueOptions): Promise<EnqueueResult> {
      if (closed) throw new ClosedError("qstashQueue");
      const result = await publish(message, { deduplicationId: opts.idempotencyKey, ...(opts.delayMs ? { delayMs: opts.delayMs } : {}) });
      return { messageId: result.messageId, deduplicated: result.deduplicated === true };
    },

    async receive(request: Request, consumer: QueueConsumer): Promise<Response> {
      if (request.method !== "POST") return reply.methodNotAllowed();
      if (closing) return reply.closing();
      return track(
        (async () => {
          const rawBody = await request.text(); // the signature covers the raw bytes, never re-serialized JSON
          const isFailure = new URL(request.url).searchParams.get(FAILURE_CALLBACK_PARAM) === FAILURE_CALLBACK_VALUE;
          const url = isFailure ? resolved.failureCallbackUrl : resolved.callbackUrl;
          if (!url) return reply.unauthorized("failure callbacks are turned off");
          const verdict = await verify(request.headers.get("upstash-signature"), rawBody, url);
          if (!verdict.ok) return reply.unauthorized(verdict.reason);
          if (isFailure) return runFailureCallback(rawBody, consumer);
          const body = parseStepMessage(rawBody);
          if (!body) return reply.nonRetryable("body is not a step message { jobId, chain, step }");
          return runStep(request, body, consumer);
        })(),
      );
    },

    async close() {
      closing = true;
      while (inFlight.size) await Promise.allSettled([...inFlight]);
      closed = true;
    },
  };
}
