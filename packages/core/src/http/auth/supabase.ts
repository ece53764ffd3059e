import { errors, jwtVerify } from "jose";
import { ConfigurationError } from "../../errors.js";
import type { Authenticate } from "./types.js";

/** Options of {@link supabaseAuth}. */
export interface SupabaseAuthOptions {
  /** The project's JWT secret (Supabase dashboard, Settings, API, JWT secret). HS256. */
  jwtSecret: string;
  /** Expected `iss`, e.g. `https://<project>.supabase.co/auth/v1`. Not checked when omitted. */
  issuer?: string;
  /** Expected `aud`. Default `"authenticated"` (what Supabase puts in user tokens). */
  audience?: string | string[];
  /**
   * Where the access token is: default the `Authorization: Bearer` header. Pass a function to
   * read it from a cookie or elsewhere.
   */
  getToken?: (request: Request) => string | null | undefined;
  /** Accepted clock skew in seconds. Default 5. */
  clockToleranceSeconds?: number;
}

const bearer = (request: Request) => /^Bearer\s+(\S+)$/i.exec(request.headers.get("authorization") ?? "")?.[1];

/**
 * Verifies Supabase access tokens locally (no network call) with `jose`: HS256 signature with
 * the project's JWT secret, expiry, audience and (optionally) issuer. The user id is the
 * token's `sub`. A missing, expired or forged token makes the handler answer 401.
 *
 * @example
 * ```ts
 * http: { authenticate: supabaseAuth({ jwtSecret: process.env.SUPABASE_JWT_SECRET! }) }
 * ```
 */
export function supabaseAuth(options: SupabaseAuthOptions): Authenticate {
  if (typeof options?.jwtSecret !== "string" || options.jwtSecret.length < 16) {
    throw new ConfigurationError("supabaseAuth({ jwtSecret }) needs the project's JWT secret (at least 16 characters)");
  }
  const key = new TextEncoder().encode(options.jwtSecret);
  const getToken = options.getToken ?? bearer;
  return async (request) => {
    const token = getToken(request);
    if (!token) return null;
    try {
      const { payload } = await jwtVerify(token, key, {
        algorithms: ["HS256"],
        audience: options.audience ?? "authenticated",
        clockTolerance: options.clockToleranceSeconds ?? 5,
        requiredClaims: ["sub", "exp"],
        ...(options.issuer ? { issuer: options.issuer } : {}),
      });
      return typeof payload.sub === "string" && payload.sub ? { userId: payload.sub } : null;
    } catch (error) {
      if (error instanceof errors.JOSEError) return null;
      throw error;
    }
  };
}
