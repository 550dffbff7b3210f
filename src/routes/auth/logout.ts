import type { Context } from "hono";
import { PUBLIC } from "../../http/access.ts";
import type { AppEnv } from "../../http/app-env.ts";
import { accessCookie, clearSessionCookies, refreshCookie } from "../../http/cookies.ts";
import { refuseForeignOrigin } from "../../http/origin.ts";
import { bearerToken } from "../../http/request-credentials.ts";
import { createRouter } from "../../http/router.ts";
import { defineRoute } from "../define-route.ts";
import { noContent, RefreshBodySchema } from "./schemas.ts";

const logoutRoute = (path: string) =>
  defineRoute({
    access: PUBLIC,
    errors: ["forbidden", "sessions_unavailable"],
    method: "post",
    path,
    tags: ["Accounts and sessions"],
    summary: "End the session of the refresh token (cookie or JSON) or of the access token, and clear the cookies",
    description: "Idempotent: credentials that identify no live session still get 204.",
    request: { body: { content: { "application/json": { schema: RefreshBodySchema } } } },
    responses: { 204: noContent },
  });

export const route = logoutRoute("/auth/logout");
export const jwtRoute = logoutRoute("/auth/jwt/logout");

async function endSession(c: Context<AppEnv>, refreshFromBody: string | undefined) {
  const { sessions, accessTokens } = c.var.services;
  const cookieRefresh = refreshCookie(c);
  const cookieAccess = accessCookie(c);
  if (cookieRefresh !== undefined || cookieAccess !== undefined) refuseForeignOrigin(c);

  const refreshToken = refreshFromBody ?? cookieRefresh;
  const ended = refreshToken !== undefined && (await sessions.endByRefreshToken(refreshToken)) !== undefined;
  if (!ended) {
    const claims = await accessTokens.verify(bearerToken(c.req.header("Authorization")) ?? cookieAccess ?? "");
    if (claims) await sessions.end(claims.userId, claims.sessionId);
  }
  clearSessionCookies(c);
  return c.body(null, 204);
}

export const logout = createRouter()
  .openapi(route, (c) => endSession(c, c.req.valid("json").refresh_token))
  .openapi(jwtRoute, (c) => endSession(c, c.req.valid("json").refresh_token));
