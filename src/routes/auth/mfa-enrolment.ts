import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { userAccess } from "../../http/access.ts";
import type { AppEnv } from "../../http/app-env.ts";
import { currentUser } from "../../http/guards.ts";
import { createRouter } from "../../http/router.ts";
import type { Holder } from "../../services/mfa.ts";
import { defineRoute } from "../define-route.ts";
import { CurrentPasswordSchema, noContent, TotpCodeSchema } from "./schemas.ts";

/* Enrolling and managing the second factor: an access token, and the password again. */

function holder(c: Context<AppEnv>): Holder {
  const { userId, sessionId } = currentUser(c);
  return { userId, sessionId, ip: c.var.ip };
}

const Code = TotpCodeSchema.openapi({ description: "A current 6-digit code" });
const RecoveryCodesSchema = z
  .object({ recovery_codes: z.array(z.string()).openapi({ description: "Shown once; each works once" }) })
  .openapi("MfaRecoveryCodes");
const json = <T extends z.ZodType>(schema: T) => ({
  body: { required: true, content: { "application/json": { schema } } },
});
const common = {
  tags: ["Second factor"],
  access: userAccess({ apiKey: "forbidden" }),
  method: "post" as const,
};

const setupRoute = defineRoute({
  ...common,
  path: "/auth/mfa/totp/setup",
  summary: "Start TOTP enrolment: a new secret for your authenticator app, pending until enabled",
  errors: ["invalid_credentials", "conflict", "rate_limited", "rate_limiter_unavailable"],
  request: json(z.object({ password: CurrentPasswordSchema }).openapi("MfaSetupRequest")),
  responses: {
    200: {
      description: "The secret (base32) and its otpauth:// URI; never shown again",
      content: {
        "application/json": {
          schema: z.object({ secret: z.string(), otpauth_uri: z.string() }).openapi("MfaSetup"),
        },
      },
    },
  },
});

const enableRoute = defineRoute({
  ...common,
  path: "/auth/mfa/totp/enable",
  summary: "Confirm enrolment with a code: the second factor is on, 10 recovery codes, other sessions end",
  errors: ["invalid_mfa_code", "conflict", "rate_limited", "rate_limiter_unavailable", "sessions_unavailable"],
  request: json(z.object({ code: Code }).openapi("MfaEnableRequest")),
  responses: {
    200: { description: "Recovery codes", content: { "application/json": { schema: RecoveryCodesSchema } } },
  },
});

const disableRoute = defineRoute({
  ...common,
  path: "/auth/mfa/disable",
  summary: "Turn the second factor off (password and a code); other sessions end",
  errors: [
    "invalid_credentials",
    "invalid_mfa_code",
    "conflict",
    "rate_limited",
    "rate_limiter_unavailable",
    "sessions_unavailable",
  ],
  request: json(z.object({ password: CurrentPasswordSchema, code: Code }).openapi("MfaDisableRequest")),
  responses: { 204: noContent },
});

const recoveryCodesRoute = defineRoute({
  ...common,
  path: "/auth/mfa/recovery-codes",
  summary: "A new set of recovery codes (password and a code); the old set stops working",
  errors: ["invalid_credentials", "invalid_mfa_code", "conflict", "rate_limited", "rate_limiter_unavailable"],
  request: json(z.object({ password: CurrentPasswordSchema, code: Code }).openapi("MfaRecoveryCodesRequest")),
  responses: {
    200: { description: "Recovery codes", content: { "application/json": { schema: RecoveryCodesSchema } } },
  },
});

export const mfaEnrolment = createRouter()
  .openapi(setupRoute, async (c) => {
    const { secret, otpauthUri } = await c.var.services.mfa.setup(holder(c), c.req.valid("json").password);
    return c.json({ secret, otpauth_uri: otpauthUri }, 200);
  })
  .openapi(enableRoute, async (c) => {
    const codes = await c.var.services.mfa.enable(holder(c), c.req.valid("json").code);
    return c.json({ recovery_codes: codes }, 200);
  })
  .openapi(disableRoute, async (c) => {
    const { password, code } = c.req.valid("json");
    await c.var.services.mfa.disable(holder(c), password, code);
    return c.body(null, 204);
  })
  .openapi(recoveryCodesRoute, async (c) => {
    const { password, code } = c.req.valid("json");
    return c.json({ recovery_codes: await c.var.services.mfa.regenerateRecoveryCodes(holder(c), password, code) }, 200);
  });
