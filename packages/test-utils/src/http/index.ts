/**
 * `@creatorsearch/test-utils/http`: the conformance suite every mount of the core HTTP handler
 * passes, over real HTTP on an ephemeral port.
 *
 * @example
 * ```ts
 * import { httpMountSuite, listenOnEphemeralPort } from "@creatorsearch/test-utils/http";
 * import { toNodeHandler } from "@creatorsearch/core/node";
 * httpMountSuite("node:http", { mount: (cs) => listenOnEphemeralPort(toNodeHandler(cs)) });
 * ```
 *
 * @module @creatorsearch/test-utils/http
 */
export { httpMountSuite } from "./suite.js";
export type { HttpMountSuiteOptions, MountedServer } from "./suite.js";
export { listenOnEphemeralPort } from "./server.js";
export { signedPushQueue, signBody, TEST_SIGNATURE_HEADER } from "./signed-queue.js";
export { openApiContract } from "./contract.js";
export type { OpenApiContract, OpenApiLike, Operation } from "./contract.js";
export { schemaArbitraries } from "./schema-arbitrary.js";
export type { JsonSchema } from "./schema-arbitrary.js";
