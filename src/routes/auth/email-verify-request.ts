import { z } from "@hono/zod-openapi";
import { PUBLIC } from "../../http/access.ts";
import { createRouter } from "../../http/router.ts";
import { defineRoute } from "../define-route.ts";
import { AcceptedSchema, TypedAddressSchema } from "./schemas.ts";

const VerificationRequestSchema = z.object({ email: TypedAddressSchema }).openapi("VerificationEmailRequest");

const ACCEPTED = {
  detail:
    "If an active account with this address still needs verifying, a new verification link is on its way; the older link no longer works.",
};

/**
 * The way back from a lost or expired verification link without a session (which
 * REQUIRE_EMAIL_VERIFICATION refuses until the address is verified): otherwise anyone
 * who registered an address first would hold it for good.
 */
export const route = defineRoute({
  access: PUBLIC,
  feature: "account_emails",
  errors: ["rate_limiter_unavailable"],
  method: "post",
  path: "/auth/email/verify/request",
  tags: ["Accounts and sessions"],
  summary: "Email a new verification link to an address, no session needed; the same answer for every address",
  request: { body: { required: true, content: { "application/json": { schema: VerificationRequestSchema } } } },
  responses: {
    202: {
      description: "Accepted (nothing tells whether an email was sent)",
      content: { "application/json": { schema: AcceptedSchema } },
    },
  },
});

export const emailVerifyRequest = createRouter().openapi(route, async (c) => {
  await c.var.services.accountEmails.requestVerification(c.req.valid("json").email);
  return c.json(ACCEPTED, 202);
});
