import type { Route } from "../types.js";

/**
 * `GET /v1/account/credit-balance` (current docs) and `GET /v1/credit-balance` (older, still
 * called by the official CLI): `{ creditCount }`. Free in the sandbox (upstream cost unclear).
 * The sandbox fills in the balance; see `createSandbox`.
 */
export function creditBalanceRoute(path: string, balance: () => number): Route {
  return { path, handle: () => ({ body: { creditCount: balance() }, cost: 0 }) };
}
