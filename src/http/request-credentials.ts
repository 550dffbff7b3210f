import type { Context } from "hono";
import { ApiError } from "../core/errors.ts";
import type { AppEnv } from "./app-env.ts";
import { accessCookie } from "./cookies.ts";

const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;

/** The token of an `Authorization: Bearer <token>` header, or undefined for any other value. */
export const bearerToken = (header: string | undefined): string | undefined =>
  header === undefined ? undefined : BEARER.exec(header)?.[1];

/** A 401 that tells the client how to authenticate. */
export const unauthorized = (detail: string) =>
  new ApiError("unauthorized", detail, { headers: { "WWW-Authenticate": 'Bearer realm="gatehouse"' } });

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
