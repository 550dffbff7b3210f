import { z } from "@hono/zod-openapi";
import { PUBLIC } from "../../http/access.ts";
import { clientOf, loginBody } from "../../http/login-response.ts";
import { createRouter } from "../../http/router.ts";
import { defineRoute } from "../define-route.ts";
import { LoginSchema, MfaChallengeSchema, TokenPairSchema } from "./schemas.ts";

export const route = defineRoute({
  access: PUBLIC,
  errors: ["invalid_credentials", "email_not_verified", "rate_limiter_unavailable"],
  method: "post",
  path: "/auth/login",
  tags: ["Accounts and sessions"],
  summary: "Log in with email or username and password; returns bearer and refresh tokens",
  request: { body: { required: true, content: { "application/json": { schema: LoginSchema } } } },
  responses: {
    200: {
      description: "A new session, or for an account with a second factor the `mfa_token` of /v1/auth/mfa/verify",
      content: { "application/json": { schema: z.union([TokenPairSchema, MfaChallengeSchema]) } },
    },
  },
});

export const login = createRouter().openapi(route, async (c) => {
  const { login, password } = c.req.valid("json");
  return c.json(loginBody(await c.var.services.login.withPassword(login, password, clientOf(c), "bearer")), 200);
});
