import { HttpError } from "../errors.js";
import { readBodyBytes } from "../request.js";
import type { Route } from "../router.js";

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
  async handle({ request, options }) {
    if (!options.imageProxy) throw new HttpError(501, "The image proxy is turned off on this server (http.imageProxy: false)");
    return options.imageProxy(request);
  },
};
