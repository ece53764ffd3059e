/**
 * The safe image proxy: `imageProxy(request, options)` and its building blocks.
 * One file per idea: URL policy, address check, pinned upstream fetch, redirects, size limit, caching.
 *
 * @module
 */
export { imageProxy } from "./image-proxy.js";
export type { ImageProxyOptions } from "./options.js";
export { IMAGE_PROXY_DEFAULTS } from "./options.js";
export { DEFAULT_IMAGE_HOST_SUFFIXES } from "./url-policy.js";
export { isPublicAddress, addressRange, systemResolver } from "./address-check.js";
export type { HostResolver, ResolvedAddress } from "./address-check.js";
export { pinnedHttpsFetch } from "./pinned-https-fetch.js";
export type { UpstreamFetcher, UpstreamRequest, PinnedHttpsOverrides } from "./pinned-https-fetch.js";
export { urlExpiry } from "./cache-policy.js";
