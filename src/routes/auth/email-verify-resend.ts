import { ApiError } from "../../core/errors.ts";
import { userAccess } from "../../http/access.ts";
import { currentUser } from "../../http/guards.ts";
import { createRouter } from "../../http/router.ts";
import { defineRoute } from "../define-route.ts";
import { AcceptedSchema } from "./schemas.ts";

export const route = defineRoute({
  access: userAccess({ apiKey: "forbidden" }),
  feature: "account_emails",
  errors: ["conflict", "rate_limited", "rate_limiter_unavailable"],
  method: "post",
  path: "/auth/email/verify/resend",
  tags: ["Accounts and sessions"],
  summary: "Send a new verification email to your address (the older link stops working)",
  responses: {
    202: { description: "The email is on its way", content: { "application/json": { schema: AcceptedSchema } } },
  },
});

export const emailVerifyResend = createRouter().openapi(route, async (c) => {
  const user = await c.var.services.users.findActive(currentUser(c).userId);
  if (!user) throw new ApiError("unauthorized", "The account is not active.");
  if (user.emailVerifiedAt) throw new ApiError("conflict", "The email address is already verified.");
  await c.var.services.accountEmails.sendVerification(user);
  return c.json({ detail: "A new verification email is on its way; the older link no longer works." }, 202);
});
