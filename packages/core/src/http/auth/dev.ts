import { ConfigurationError } from "../../errors.js";
import type { Authenticate } from "./types.js";

/** Options of {@link devAuth}. */
export interface DevAuthOptions {
  /** Header carrying the user id. Default `x-user-id`. */
  header?: string;
  /** Environment to check; default `process.env`. */
  env?: Record<string, string | undefined>;
}

const USER_ID = /^[\w.@:-]{1,128}$/;

/**
 * Trusts the `x-user-id` header as the user id: for local development, tests and the sandbox
 * only. Anyone can send that header, so it refuses to be created when `NODE_ENV=production`.
 *
 * @throws ConfigurationError when `NODE_ENV` is `production`.
 */
export function devAuth(options: DevAuthOptions = {}): Authenticate {
  const env = options.env ?? (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};
  if (env.NODE_ENV === "production") {
    throw new ConfigurationError("devAuth() trusts a request header and must not run with NODE_ENV=production; use supabaseAuth() or your own authenticate()");
  }
  const header = (options.header ?? "x-user-id").toLowerCase();
  return (request) => {
    const userId = request.headers.get(header)?.trim();
    return userId && USER_ID.test(userId) ? { userId } : null;
  };
}
