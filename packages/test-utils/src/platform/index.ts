/**
 * `@creatorsearch/test-utils/platform`: the conformance suite every platform adapter passes.
 *
 * @example
 * ```ts
 * import { platformConformanceSuite } from "@creatorsearch/test-utils/platform";
 * platformConformanceSuite("twitch keyword", {
 *   create: ({ baseUrl, apiKey }) => twitch({ baseUrl, apiKey }),
 *   request: { mode: "keyword", keywords: ["speedrun"], targetHandle: null },
 *   respond: recordedTwitchApi,
 *   stripOptional, duplicate,
 *   changeShape: { mutate: (body) => ({ ...body, data: "oops" }), field: "data" },
 * });
 * ```
 *
 * @module @creatorsearch/test-utils/platform
 */
export { platformConformanceSuite } from "./suite.js";
export type { PlatformHarness, ShapeChange, UpstreamConnection, UpstreamResponder } from "./harness.js";
export { startFakeUpstream } from "./upstream.js";
export type { FakeUpstream, UpstreamMode } from "./upstream.js";
