import { z } from "@hono/zod-openapi";
import { PUBLIC } from "../../http/access.ts";
import { answerLogin, openSession } from "../../http/login-response.ts";
import { refuseForeignOrigin } from "../../http/origin.ts";
import { createRouter } from "../../http/router.ts";
import { defineRoute } from "../define-route.ts";
import { AccountTokenSchema, noContent, TokenPairSchema } from "./schemas.ts";

const MfaVerifySchema = z
  .object({
    mfa_token: AccountTokenSchema,
    code: z.string().trim().max(16).optional().openapi({ description: "The 6-digit code of the authenticator app" }),
    recovery_code: z.string().trim().max(32).optional().openapi({ description: "One of the recovery codes, once" }),
  })
  .refine((body) => (body.code === undefined) !== (body.recovery_code === undefined), {
    path: ["code"],
    message: "give `code` or `recovery_code`, one of them",
  })
  .openapi("MfaVerifyRequest");

export const route = defineRoute({
  access: PUBLIC,
  errors: ["invalid_token", "invalid_mfa_code", "forbidden", "rate_limited", "rate_limiter_unavailable"],
  method: "post",
  path: "/auth/mfa/verify",
  tags: ["Second factor"],
  summary: "The second step of a login: the same answer the login would have given (tokens, or cookies)",
  request: { body: { required: true, content: { "application/json": { schema: MfaVerifySchema } } } },
  responses: {
    200: { description: "A new session (bearer login)", content: { "application/json": { schema: TokenPairSchema } } },
    204: { ...noContent, description: "A new session in cookies (cookie login)" },
  },
});

export const mfaVerify = createRouter().openapi(route, async (c) => {
  const body = c.req.valid("json");
  const factor = body.code !== undefined ? { code: body.code } : { recoveryCode: body.recovery_code ?? "" };
  if (body.mfa_token.startsWith("c.")) refuseForeignOrigin(c);
  const { user, flow } = await c.var.services.mfa.complete(body.mfa_token, factor, c.var.ip);
  return answerLogin(c, await openSession(c, user, { second_factor: true }), flow);
});
