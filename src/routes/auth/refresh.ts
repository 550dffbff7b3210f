import { ApiError } from "../../core/errors.ts";
import { PUBLIC } from "../../http/access.ts";
import { clearSessionCookies, refreshCookie, setSessionCookies } from "../../http/cookies.ts";
import { refuseForeignOrigin } from "../../http/origin.ts";
import { createRouter } from "../../http/router.ts";
import { defineRoute } from "../define-route.ts";
import { RefreshBodySchema, TokenPairSchema } from "./schemas.ts";

export const route = defineRoute({
  access: PUBLIC,
  errors: ["missing_refresh_token", "invalid_refresh_token", "refresh_token_reused", "forbidden"],
  method: "post",
  path: "/auth/refresh",
  tags: ["Accounts and sessions"],
  summary: "Rotate a refresh token: from JSON (200 with tokens) or from the refresh cookie (204 with new cookies)",
  description:
    "Presenting the token that was just rotated again within REFRESH_REUSE_GRACE_SECONDS returns the same " +
    "successor; any other reuse ends the whole session (`refresh_token_reused`).",
  request: { body: { content: { "application/json": { schema: RefreshBodySchema } } } },
  responses: {
    200: { description: "Rotated tokens", content: { "application/json": { schema: TokenPairSchema } } },
    204: { description: "Rotated cookies" },
  },
});

export const refresh = createRouter().openapi(route, async (c) => {
  const fromBody = c.req.valid("json").refresh_token;
  if (fromBody !== undefined) return c.json(await c.var.services.sessions.refresh(fromBody), 200);

  const fromCookie = refreshCookie(c);
  if (fromCookie === undefined)
    throw new ApiError("missing_refresh_token", "Send the refresh token as a cookie or JSON.");
  refuseForeignOrigin(c);
  try {
    setSessionCookies(c, await c.var.services.sessions.refresh(fromCookie));
  } catch (error) {
    // A refresh cookie that no longer works is cleared, so the browser stops sending it.
    if (error instanceof ApiError && error.status === 401) clearSessionCookies(c);
    throw error;
  }
  return c.body(null, 204);
});
