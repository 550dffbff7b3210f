import type { Context } from "hono";
import { ApiError } from "../core/errors.ts";
import type { AppEnv } from "./app-env.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Refuses a state-changing request that a browser may have sent from another page, for
 * the routes where cookies are the credential (CSRF; the cookies are SameSite=None in
 * production, so the browser alone does not keep them from other sites).
 *
 * - `Origin` present: it must be this service's own origin or one of CORS_ORIGINS;
 *   `null` (a sandboxed page, or a cross-origin redirect) never is.
 * - No `Origin`, but `Sec-Fetch-Site`: only `same-origin` passes. `same-site` is a
 *   sibling subdomain, which may not be trusted, and without `Origin` there is no way
 *   to tell whether it is one of CORS_ORIGINS.
 * - Neither: passes. Browsers add `Origin` to every request whose method is not GET or
 *   HEAD (the Fetch standard), so such a request comes from no browser page: a script
 *   or app that holds the cookies itself, which no other site can make it send.
 *
 * @example
 * if (credentialCameFromCookie) refuseForeignOrigin(c);
 */
export function refuseForeignOrigin(c: Context<AppEnv>): void {
  if (SAFE_METHODS.has(c.req.method)) return;
  const origin = c.req.header("Origin");
  const fetchSite = c.req.header("Sec-Fetch-Site");
  const allowed =
    origin === undefined
      ? fetchSite === undefined || fetchSite === "same-origin"
      : origin === new URL(c.req.url).origin || c.env.CORS_ORIGINS.includes(origin);
  if (!allowed) throw new ApiError("forbidden", "Cookie-authenticated requests must come from an allowed origin.");
}
