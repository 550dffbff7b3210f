import { z } from "@hono/zod-openapi";
import { PUBLIC } from "../../http/access.ts";
import { createRouter } from "../../http/router.ts";
import { defineRoute } from "../define-route.ts";
import { AccountTokenSchema, noContent, PasswordSchema } from "./schemas.ts";

const ResetPasswordSchema = z
  .object({ token: AccountTokenSchema, new_password: PasswordSchema })
  .openapi("ResetPasswordRequest");

export const route = defineRoute({
  access: PUBLIC,
  feature: "account_emails",
  errors: ["invalid_token", "rate_limiter_unavailable", "sessions_unavailable"],
  method: "post",
  path: "/auth/password/reset",
  tags: ["Accounts and sessions"],
  summary: "Set a new password with a reset token; every session of the user ends",
  request: { body: { required: true, content: { "application/json": { schema: ResetPasswordSchema } } } },
  responses: { 204: noContent },
});

export const passwordReset = createRouter().openapi(route, async (c) => {
  const { token, new_password } = c.req.valid("json");
  await c.var.services.accountEmails.resetPassword(token, new_password);
  return c.body(null, 204);
});
