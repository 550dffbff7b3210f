import { z } from "@hono/zod-openapi";
import { PUBLIC } from "../../http/access.ts";
import { createRouter } from "../../http/router.ts";
import { defineRoute } from "../define-route.ts";
import { AcceptedSchema, TypedAddressSchema } from "./schemas.ts";

const ForgotPasswordSchema = z.object({ email: TypedAddressSchema }).openapi("ForgotPasswordRequest");

const ACCEPTED = {
  detail: "If an active account has this address, a reset link is on its way. It works once, for 30 minutes.",
};

export const route = defineRoute({
  access: PUBLIC,
  feature: "account_emails",
  errors: ["rate_limiter_unavailable"],
  method: "post",
  path: "/auth/password/forgot",
  tags: ["Accounts and sessions"],
  summary: "Email a password-reset link; the same answer whether or not the account exists",
  request: { body: { required: true, content: { "application/json": { schema: ForgotPasswordSchema } } } },
  responses: {
    202: {
      description: "Accepted (nothing tells whether an email was sent)",
      content: { "application/json": { schema: AcceptedSchema } },
    },
  },
});

export const passwordForgot = createRouter().openapi(route, async (c) => {
  const { email } = c.req.valid("json");
  await c.var.services.accountEmails.requestPasswordReset(email);
  return c.json(ACCEPTED, 202);
});
