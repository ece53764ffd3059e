/**
 * `@creatorsearch/core/node`: serve the handler with Node's `http` module (and build other
 * Node-framework mounts on `toWebRequest` / `writeWebResponse`).
 *
 * @module @creatorsearch/core/node
 */
export { toNodeHandler, toWebRequest, writeWebResponse } from "./node.js";
export type { ToWebRequestOptions } from "./node.js";
