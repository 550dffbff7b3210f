import { z } from "@hono/zod-openapi";
import { PUBLIC } from "../../http/access.ts";
import { clientOf } from "../../http/login-response.ts";
import { createRouter } from "../../http/router.ts";
import { defineRoute } from "../define-route.ts";
import { text } from "../schemas.ts";
import { CurrentPasswordSchema, TokenPairSchema } from "./schemas.ts";

/** RFC 6749 §4.3 and §6; other fields Swagger UI sends (`scope`, `client_id`) are ignored. */
const TokenRequestSchema = z
  .discriminatedUnion("grant_type", [
    z.object({
      grant_type: z.literal("password"),
      username: text(320, 1).openapi({ description: "Email or username" }),
      password: CurrentPasswordSchema,
    }),
    z.object({ grant_type: z.literal("refresh_token"), refresh_token: text(4096, 1) }),
  ])
  .openapi("TokenRequest");

export const route = defineRoute({
  access: PUBLIC,
  errors: [
    "invalid_credentials",
    "email_not_verified",
    "mfa_required",
    "invalid_refresh_token",
    "refresh_token_reused",
    "rate_limiter_unavailable",
  ],
  method: "post",
  path: "/auth/token",
  tags: ["Accounts and sessions"],
  summary: "OAuth2 token endpoint (password and refresh_token grants), as used by Swagger UI's Authorize",
  request: {
    body: { required: true, content: { "application/x-www-form-urlencoded": { schema: TokenRequestSchema } } },
  },
  responses: {
    200: { description: "Tokens", content: { "application/json": { schema: TokenPairSchema } } },
  },
});

export const token = createRouter().openapi(route, async (c) => {
  const body = c.req.valid("form");
  if (body.grant_type === "password") {
    return c.json(await c.var.services.login.passwordGrant(body.username, body.password, clientOf(c)), 200);
  }
  return c.json(await c.var.services.sessions.refresh(body.refresh_token), 200);
});
