import { http, type HttpHandler } from "msw";
import type { QStashStandIn } from "./stand-in.js";

/**
 * msw handlers that route every request under the stand-in's `baseUrl` to it, so
 * `@upstash/qstash`'s `Client` (and `qstashQueue`) publish to the stand-in in-process.
 * Start the msw server with `onUnhandledRequest: "bypass"` so the stand-in's deliveries to your
 * webhook go out as real HTTP requests.
 */
export function qstashHandlers(standIn: QStashStandIn): HttpHandler[] {
  return [http.all(`${standIn.baseUrl}/*`, ({ request }) => standIn.fetch(request))];
}
