import { z } from "zod";
import { HttpError } from "../errors.js";
import { readBodyBytes } from "../request.js";
import type { Route } from "../router.js";

/** What the webhook answers: QStash reads the status, people read `error`. */
const DeliveryAnswer = z.object({ ok: z.boolean(), outcome: z.string().optional(), error: z.string().optional() }).meta({ id: "DeliveryAnswer" });

/** Path of the push-queue webhook under the base path (the blueprint's). */
export const QSTASH_WEBHOOK_PATH = "/qstash/process-scraping";

/**
 * `POST /qstash/process-scraping`: a push-queue delivery. Public: the queue adapter verifies the
 * signature over the untouched raw body and URL (`cs.receiveDelivery`), and answers in the
 * queue's terms (401 on a bad signature, nothing run).
 */
export const processScraping: Route = {
  method: "POST",
  path: QSTASH_WEBHOOK_PATH,
  public: true,
  doc: {
    operationId: "receiveQstashDelivery",
    summary: "A QStash delivery of a job step (signed; for QStash, not for clients)",
    description: "Verified with the `Upstash-Signature` header over the raw body and URL. Answers in QStash's terms: 2xx acknowledges, 429 with `Retry-After` retries then, 489 fails the message, anything else is retried with backoff.",
    tags: ["webhooks"],
    answers: {
      200: { description: "The step ran (or was a duplicate)", json: DeliveryAnswer },
      401: { description: "Missing or invalid signature", json: DeliveryAnswer },
      404: { description: "This server's queue takes no HTTP deliveries" },
      413: { description: "Body larger than the limit" },
      429: { description: "Try again later", json: DeliveryAnswer, headers: { "Retry-After": { description: "Seconds", schema: { type: "integer" } } } },
      489: { description: "The step failed for good: QStash should not retry", json: DeliveryAnswer },
      500: { description: "The step failed; QStash retries", json: DeliveryAnswer },
      503: { description: "Shutting down; QStash retries", json: DeliveryAnswer },
    },
  },
  async handle({ cs, request, options }) {
    // Read within the limit first (413 above it, chunked or not), then hand the adapter the
    // same bytes, URL and headers: the signature covers exactly what was received.
    const body = await readBodyBytes(request, options.maxBodyBytes);
    return cs.receiveDelivery(
      new Request(request.url, { method: request.method, headers: request.headers, signal: request.signal, ...(body.byteLength ? { body: body as BodyInit } : {}) }),
    );
  },
};

/** `GET /proxy/image?url=`: the image proxy (`http.imageProxy`), or 501 when it was turned off. */
export const proxyImage: Route = {
  method: "GET",
  path: "/proxy/image",
  doc: {
    operationId: "proxyImage",
    summary: "An avatar or thumbnail from an allowed CDN host, through this server",
    tags: ["images"],
    query: z.object({ url: z.string().describe("The image's https URL, on an allowed CDN host") }),
    answers: {
      200: { description: "The image, cached", content: { "image/*": {} } },
      400: { description: "`url` missing, not https, with credentials..." },
      403: { description: "A host that is not allowed, or resolves to a private address" },
      413: { description: "Image larger than the limit" },
      415: { description: "The upstream answer is not an image" },
      501: { description: "The image proxy is turned off on this server" },
      502: { description: "The upstream image server failed" },
      504: { description: "The upstream image server timed out" },
    },
  },
  async handle({ request, options }) {
    if (!options.imageProxy) throw new HttpError(501, "The image proxy is turned off on this server (http.imageProxy: false)");
    return options.imageProxy(request);
  },
};
