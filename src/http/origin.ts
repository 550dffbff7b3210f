import type { Context } from "hono";
import { ApiError } from "../core/errors.ts";
import type { AppEnv } from "./app-env.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Refuses a state-changing request that a browser sent from a foreign page, for the
 * routes where cookies are the credential (CSRF). A browser names the page's origin
 * in `Origin` on every POST, PUT, PATCH and DELETE; it must be this service's own
 * origin or one of CORS_ORIGINS. Without `Origin`, `Sec-Fetch-Site: cross-site`
 * still gives a foreign page away; a request with neither is not from a browser.
 *
 * @example
 * if (credentialCameFromCookie) refuseForeignOrigin(c);
 */
export function refuseForeignOrigin(c: Context<AppEnv>): void {
  if (SAFE_METHODS.has(c.req.method)) return;
  const origin = c.req.header("Origin");
  const foreign =
    origin === undefined
      ? c.req.header("Sec-Fetch-Site") === "cross-site"
      : origin !== new URL(c.req.url).origin && !c.env.CORS_ORIGINS.includes(origin);
  if (foreign) throw new ApiError("forbidden", "Cookie-authenticated requests must come from an allowed origin.");
}
