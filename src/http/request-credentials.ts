import type { Context } from "hono";
import { ApiError } from "../core/errors.ts";
import type { AppEnv } from "./app-env.ts";
import { accessCookie } from "./cookies.ts";

const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;
/** Any header in the Bearer scheme with something after it, a well-formed token or not. */
const BEARER_SCHEME = /^Bearer +\S/i;

/** The token of an `Authorization: Bearer <token>` header, or undefined for any other value. */
export const bearerToken = (header: string | undefined): string | undefined =>
  header === undefined ? undefined : BEARER.exec(header)?.[1];

const CHALLENGE = 'Bearer realm="gatehouse"';

/**
 * A 401 of a route that takes an access token, with the RFC 6750 §3 challenge that
 * tells the client how to authenticate. A request that sent `Authorization: Bearer`
 * was refused for its token (malformed, expired, its session ended or its account
 * deactivated): the challenge adds `error="invalid_token"`. A request without a bearer
 * token gets no error code (§3.1 says it SHOULD NOT), and neither does an access cookie,
 * which is not an RFC 6750 credential. The token itself is never echoed.
 *
 * @example
 * if (!claims) throw unauthorized(c, "The access token is invalid or expired.");
 */
export function unauthorized(c: Context<AppEnv>, detail: string): ApiError {
  const refusedToken = BEARER_SCHEME.test(c.req.header("Authorization") ?? "");
  const challenge = refusedToken ? `${CHALLENGE}, error="invalid_token"` : CHALLENGE;
  return new ApiError("unauthorized", detail, { headers: { "WWW-Authenticate": challenge } });
}

/** Whether the request carries a user credential (bearer header or access cookie). */
export const hasUserCredential = (c: Context<AppEnv>) =>
  c.req.header("Authorization") !== undefined || accessCookie(c) !== undefined;

/**
 * The API key of the request: `x-api-key`, else `api-key`, else (only with
 * API_KEY_ALLOW_QUERY=true) the `api_key` query parameter, which the request log
 * never prints (it logs the path only).
 */
export function presentedApiKey(c: Context<AppEnv>): string | undefined {
  return (
    c.req.header("x-api-key") ??
    c.req.header("api-key") ??
    (c.env.API_KEY_ALLOW_QUERY ? c.req.query("api_key") : undefined)
  );
}
