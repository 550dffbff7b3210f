import { z } from "@hono/zod-openapi";
import { PUBLIC } from "../../http/access.ts";
import { answerLogin, clientOf } from "../../http/login-response.ts";
import { refuseForeignOrigin } from "../../http/origin.ts";
import { createRouter } from "../../http/router.ts";
import { defineRoute } from "../define-route.ts";
import { text } from "../schemas.ts";
import { AccountTokenSchema, noContent, TokenPairSchema } from "./schemas.ts";

const MfaVerifySchema = z
  .object({
    mfa_token: AccountTokenSchema,
    code: text(16).trim().optional().openapi({ description: "The 6-digit code of the authenticator app" }),
    recovery_code: text(32).trim().optional().openapi({ description: "One of the recovery codes, once" }),
  })
  .refine((body) => (body.code === undefined) !== (body.recovery_code === undefined), {
    path: ["code"],
    message: "give `code` or `recovery_code`, one of them",
  })
  .openapi("MfaVerifyRequest", { oneOf: [{ required: ["code"] }, { required: ["recovery_code"] }] });

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
  const { attempt, flow } = await c.var.services.mfa.secondStep(body.mfa_token, factor);
  return answerLogin(c, await c.var.services.login.logIn(attempt, clientOf(c), flow), flow);
});
