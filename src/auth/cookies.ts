import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { CookieOptions } from "hono/utils/cookie";
import type { AppEnv, Bindings } from "../env.ts";
import type { TokenPair } from "../services/sessions.ts";

/** The refresh cookie goes only to the auth routes: /refresh, /logout, /jwt/logout. */
const REFRESH_COOKIE_PATH = "/v1/auth";

const names = (env: Bindings) => ({ access: `${env.COOKIE_PREFIX}_access`, refresh: `${env.COOKIE_PREFIX}_refresh` });

/** httpOnly always; `Secure` + `SameSite=None` in production (cross-site SPAs), `Lax` in development. */
function attributes(env: Bindings, path: string): CookieOptions {
  return {
    path,
    httpOnly: true,
    secure: env.isProduction,
    sameSite: env.isProduction ? "None" : "Lax",
    ...(env.COOKIE_DOMAIN ? { domain: env.COOKIE_DOMAIN } : {}),
  };
}

/** Sets the access and refresh cookies of the cookie transport (`/jwt/login`, `/refresh`). */
export function setSessionCookies(c: Context<AppEnv>, tokens: TokenPair): void {
  const { access, refresh } = names(c.env);
  setCookie(c, access, tokens.access_token, { ...attributes(c.env, "/"), maxAge: tokens.expires_in });
  setCookie(c, refresh, tokens.refresh_token, {
    ...attributes(c.env, REFRESH_COOKIE_PATH),
    maxAge: tokens.refresh_expires_in,
  });
}

export function clearSessionCookies(c: Context<AppEnv>): void {
  const { access, refresh } = names(c.env);
  deleteCookie(c, access, attributes(c.env, "/"));
  deleteCookie(c, refresh, attributes(c.env, REFRESH_COOKIE_PATH));
}

export const accessCookie = (c: Context<AppEnv>): string | undefined => getCookie(c, names(c.env).access);
export const refreshCookie = (c: Context<AppEnv>): string | undefined => getCookie(c, names(c.env).refresh);
