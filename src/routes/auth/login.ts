import { createRoute } from "@hono/zod-openapi";
import { logIn } from "../../auth/login.ts";
import { problemResponses } from "../../errors.ts";
import { createRouter } from "../../router.ts";
import { LoginSchema, TokenPairSchema } from "./schemas.ts";

export const route = createRoute({
  method: "post",
  path: "/auth/login",
  tags: ["Accounts and sessions"],
  summary: "Log in with email or username and password; returns bearer and refresh tokens",
  request: { body: { required: true, content: { "application/json": { schema: LoginSchema } } } },
  responses: {
    200: { description: "A new session", content: { "application/json": { schema: TokenPairSchema } } },
    ...problemResponses("validation_failed", "invalid_credentials", "rate_limited", "rate_limiter_unavailable"),
  },
});

export const login = createRouter().openapi(route, async (c) => {
  const { login, password } = c.req.valid("json");
  return c.json(await logIn(c, login, password), 200);
});
