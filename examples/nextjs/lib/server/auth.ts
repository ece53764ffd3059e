import { type Authenticate, devAuth, supabaseAuth } from "@creatorsearch/core";
import type { AppConfig } from "./config";
import { AppConfigError } from "./config";

/** Cookie set by the local sign-in page (`/signin`): the user name to act as. */
export const USER_COOKIE = "cs_user";

function cookie(request: Request, name: string): string | null {
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return decodeURIComponent(value.join("="));
  }
  return null;
}

/**
 * How the API knows the caller. With `SUPABASE_JWT_SECRET`: Supabase's access token (bearer
 * header). Otherwise the local sign-in: the `cs_user` cookie is handed to `devAuth()` as its
 * `x-user-id` header, so devAuth validates it exactly as it would the header.
 *
 * devAuth trusts the browser, so it is only allowed against the sandbox (no real data, no
 * credits) or with `CREATORSEARCH_DEV_AUTH=true` said out loud; `next start` runs with
 * `NODE_ENV=production`, which devAuth otherwise refuses.
 */
export function appAuthenticate(config: AppConfig): Authenticate {
  if (config.supabaseJwtSecret) return supabaseAuth({ jwtSecret: config.supabaseJwtSecret });
  if (config.apiKey && !config.allowDevAuth) {
    throw new AppConfigError(
      "With a real SCRAPECREATORS_API_KEY, set SUPABASE_JWT_SECRET for real sign-in, or CREATORSEARCH_DEV_AUTH=true to keep the local user picker (anyone can pick any user)",
    );
  }
  const local = devAuth({ env: { NODE_ENV: "development" } });
  return (request) => {
    const user = cookie(request, USER_COOKIE);
    return user ? local(new Request(request.url, { headers: { "x-user-id": user } })) : null;
  };
}
