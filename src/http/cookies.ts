import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { CookieOptions, CookiePrefixOptions } from "hono/utils/cookie";
import type { Bindings } from "../core/env.ts";
import type { TokenPair } from "../services/sessions.ts";
import type { AppEnv } from "./app-env.ts";

/** The refresh cookie goes only to the auth routes: /refresh, /logout, /jwt/logout. */
const REFRESH_COOKIE_PATH = "/v1/auth";

/** A cookie's base name and the prefix Hono's helper puts before it when reading, setting and clearing. */
interface CookieName {
  name: string;
  prefix?: CookiePrefixOptions;
}

/**
 * Over https (production) the names carry the prefixes browsers enforce, so that a
 * sibling subdomain or a plain-http page cannot plant or shadow a session cookie.
 * `__Host-` (Secure, Path=/, no Domain) pins the access cookie to this host; the
 * refresh cookie's Path=/v1/auth rules `__Host-` out, so it is `__Secure-` (Secure
 * only). With COOKIE_DOMAIN the cookies are shared with subdomains, which `__Host-`
 * forbids, so both are `__Secure-`. Development over http keeps the plain names:
 * browsers refuse prefixed cookies that are not Secure.
 */
function cookieNames(env: Bindings): { access: CookieName; refresh: CookieName } {
  const access = `${env.COOKIE_PREFIX}_access`;
  const refresh = `${env.COOKIE_PREFIX}_refresh`;
  if (!env.isProduction) return { access: { name: access }, refresh: { name: refresh } };
  return {
    access: { name: access, prefix: env.COOKIE_DOMAIN ? "secure" : "host" },
    refresh: { name: refresh, prefix: "secure" },
  };
}

/** httpOnly always; `Secure` + `SameSite=None` in production (cross-site SPAs), `Lax` in development. */
function attributes(env: Bindings, cookie: CookieName, path: string): CookieOptions {
  return {
    path,
    httpOnly: true,
    secure: env.isProduction,
    sameSite: env.isProduction ? "None" : "Lax",
    ...(env.COOKIE_DOMAIN ? { domain: env.COOKIE_DOMAIN } : {}),
    prefix: cookie.prefix,
  };
}

/** Sets the access and refresh cookies of the cookie transport (`/jwt/login`, `/refresh`). */
export function setSessionCookies(c: Context<AppEnv>, tokens: TokenPair): void {
  const { access, refresh } = cookieNames(c.env);
  setCookie(c, access.name, tokens.access_token, { ...attributes(c.env, access, "/"), maxAge: tokens.expires_in });
  setCookie(c, refresh.name, tokens.refresh_token, {
    ...attributes(c.env, refresh, REFRESH_COOKIE_PATH),
    maxAge: tokens.refresh_expires_in,
  });
}

export function clearSessionCookies(c: Context<AppEnv>): void {
  const { access, refresh } = cookieNames(c.env);
  deleteCookie(c, access.name, attributes(c.env, access, "/"));
  deleteCookie(c, refresh.name, attributes(c.env, refresh, REFRESH_COOKIE_PATH));
}

export const accessCookie = (c: Context<AppEnv>): string | undefined => {
  const { access } = cookieNames(c.env);
  return getCookie(c, access.name, access.prefix);
};
export const refreshCookie = (c: Context<AppEnv>): string | undefined => {
  const { refresh } = cookieNames(c.env);
  return getCookie(c, refresh.name, refresh.prefix);
};
