/**
 * `@creatorsearch/sandbox`: a local, deterministic stand-in for the ScrapeCreators API.
 *
 * - {@link createSandbox}: the Web-standard handler (`fetch(Request) => Response`) with state.
 * - {@link startSandboxServer}: the same over `node:http`, for CLIs, benches and e2e tests.
 * - {@link SANDBOX_KEYS}: API keys that answer 401, 402, 429 or intermittent 500s.
 * - msw handlers live in `@creatorsearch/sandbox/msw`.
 *
 * @module @creatorsearch/sandbox
 */
export { createSandbox } from "./sandbox.js";
export type { Sandbox } from "./sandbox.js";
export { startSandboxServer } from "./server.js";
export type { SandboxServer, SandboxServerOptions } from "./server.js";
export type { SandboxOptions, ResolvedSandboxOptions } from "./options.js";
export { SANDBOX_KEYS } from "./keys.js";
export type { SandboxMagicKey } from "./keys.js";
export { SANDBOX_PATHS } from "./routes/index.js";
export { MISSING_HANDLE_PREFIXES } from "./data/creator.js";
export { DEFAULT_NOW } from "./data/clock.js";
