import { z } from "@hono/zod-openapi";
import { userAccess } from "../../http/access.ts";
import { currentUser } from "../../http/guards.ts";
import { createRouter } from "../../http/router.ts";
import type { Proof } from "../../services/reauthentication.ts";
import { defineRoute } from "../define-route.ts";
import { AuthenticationCredentialSchema } from "../passkeys/schemas.ts";
import { CurrentPasswordSchema, TotpCodeSchema } from "./schemas.ts";

const ReauthenticateSchema = z
  .union([
    z.object({ password: CurrentPasswordSchema }).strict(),
    z.object({ code: TotpCodeSchema.openapi({ description: "A current TOTP code" }) }).strict(),
    z
      .object({
        passkey: AuthenticationCredentialSchema.openapi({
          description: "An assertion for options from /v1/auth/passkeys/login/options",
        }),
      })
      .strict(),
  ])
  .openapi("ReauthenticateRequest");

export const route = defineRoute({
  method: "post",
  path: "/auth/reauthenticate",
  tags: ["Accounts and sessions"],
  summary: "Prove it is you again, so this session may make sensitive changes for the next few minutes",
  description:
    "One of the password, a current TOTP code or a passkey assertion. Each counts in the account's " +
    'failed-login lock. The list of changes that need it is in docs/api.md, "Re-authentication".',
  access: userAccess({ apiKey: "forbidden" }),
  errors: [
    "invalid_credentials",
    "invalid_mfa_code",
    "invalid_passkey",
    "conflict",
    "not_found",
    "email_not_verified",
    "rate_limited",
    "rate_limiter_unavailable",
  ],
  request: { body: { required: true, content: { "application/json": { schema: ReauthenticateSchema } } } },
  responses: {
    200: {
      description: "Re-authenticated",
      content: {
        "application/json": {
          schema: z
            .object({
              reauthenticated_until: z.iso
                .datetime()
                .openapi({ description: "Sensitive changes are allowed until then" }),
            })
            .openapi("Reauthenticated"),
        },
      },
    },
  },
});

export const reauthenticate = createRouter().openapi(route, async (c) => {
  const { userId, sessionId } = currentUser(c);
  const holder = { userId, sessionId, ip: c.var.ip };
  const until = await c.var.services.reauthentication.reauthenticate(holder, c.req.valid("json") as Proof);
  return c.json({ reauthenticated_until: until.toISOString() }, 200);
});
