import { z } from "@hono/zod-openapi";
import { PUBLIC } from "../../http/access.ts";
import { createRouter } from "../../http/router.ts";
import { defineRoute } from "../define-route.ts";
import { AccountTokenSchema, noContent } from "./schemas.ts";

const VerifyEmailSchema = z.object({ token: AccountTokenSchema }).openapi("VerifyEmailRequest");

export const route = defineRoute({
  access: PUBLIC,
  feature: "account_emails",
  errors: ["invalid_token", "rate_limiter_unavailable"],
  method: "post",
  path: "/auth/email/verify",
  tags: ["Accounts and sessions"],
  summary: "Mark the email address verified with the token of a verification email",
  request: { body: { required: true, content: { "application/json": { schema: VerifyEmailSchema } } } },
  responses: { 204: noContent },
});

export const emailVerify = createRouter().openapi(route, async (c) => {
  await c.var.services.accountEmails.verifyEmail(c.req.valid("json").token);
  return c.body(null, 204);
});
