/**
 * `@creatorsearch/sandbox/msw`: the sandbox as msw request handlers, for tests that mock
 * `https://api.scrapecreators.com` in-process.
 *
 * @module @creatorsearch/sandbox/msw
 */
import { http, type HttpHandler } from "msw";
import type { SandboxOptions } from "./options.js";
import { createSandbox, type Sandbox } from "./sandbox.js";

/** The real API's base URL, which the handlers intercept by default. */
export const SCRAPECREATORS_BASE_URL = "https://api.scrapecreators.com";

/** Options of {@link sandboxHandlers}. */
export interface SandboxHandlersOptions extends SandboxOptions {
  /** Base URL to intercept. Default `https://api.scrapecreators.com`. */
  baseUrl?: string;
  /** Serve this sandbox (to read its credits and counters) instead of creating one. */
  sandbox?: Sandbox;
}

/**
 * msw handlers answering every request under `baseUrl` from a sandbox: same data, errors,
 * magic keys and credits as the HTTP server.
 *
 * @example
 * ```ts
 * import { setupServer } from "msw/node";
 * import { sandboxHandlers } from "@creatorsearch/sandbox/msw";
 * const server = setupServer(...sandboxHandlers({ resultsPerQuery: 60 }));
 * server.listen();
 * ```
 */
export function sandboxHandlers(options: SandboxHandlersOptions = {}): HttpHandler[] {
  const { baseUrl = SCRAPECREATORS_BASE_URL, sandbox: given, ...sandboxOptions } = options;
  const sandbox = given ?? createSandbox(sandboxOptions);
  const base = baseUrl.replace(/\/+$/, "");
  // A base URL with a path (`https://proxy.test/scrapecreators`) is stripped before routing.
  const prefix = new URL(base).pathname.replace(/\/+$/, "");
  return [http.all(`${base}/*`, ({ request }) => sandbox.fetch(prefix ? withoutPrefix(request, prefix) : request))];
}

function withoutPrefix(request: Request, prefix: string): Request {
  const url = new URL(request.url);
  if (url.pathname.startsWith(prefix)) url.pathname = url.pathname.slice(prefix.length) || "/";
  return new Request(url, request);
}

export type { Sandbox } from "./sandbox.js";
export type { SandboxOptions } from "./options.js";
