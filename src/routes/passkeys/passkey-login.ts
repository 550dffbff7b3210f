import { z } from "@hono/zod-openapi";
import { PUBLIC } from "../../http/access.ts";
import { answerLogin, clientOf } from "../../http/login-response.ts";
import { refuseForeignOrigin } from "../../http/origin.ts";
import { createRouter } from "../../http/router.ts";
import { noContent, TokenPairSchema } from "../auth/schemas.ts";
import { defineRoute } from "../define-route.ts";
import { AuthenticationCredentialSchema } from "./schemas.ts";

const PasskeyLoginSchema = z
  .object({
    response: AuthenticationCredentialSchema,
    flow: z.enum(["bearer", "cookie"]).default("bearer").openapi({
      description: "`bearer`: tokens in the body, as /v1/auth/login; `cookie`: httpOnly cookies, as /v1/auth/jwt/login",
    }),
  })
  .openapi("PasskeyLoginRequest");

export const route = defineRoute({
  access: PUBLIC,
  feature: "passkeys",
  errors: [
    "invalid_passkey",
    "invalid_credentials",
    "email_not_verified",
    "forbidden",
    "rate_limiter_unavailable",
    "sessions_unavailable",
  ],
  method: "post",
  path: "/auth/passkeys/login",
  tags: ["Passkeys"],
  summary: "Log in with a passkey alone: the same answer a password login gives",
  description:
    "User verification is required, so a passkey login needs no second factor. The account's failed-login " +
    "lock applies; a signature counter that does not move forward is refused and logged.",
  request: { body: { required: true, content: { "application/json": { schema: PasskeyLoginSchema } } } },
  responses: {
    200: { description: "A new session (bearer flow)", content: { "application/json": { schema: TokenPairSchema } } },
    204: { ...noContent, description: "A new session in cookies (cookie flow)" },
  },
});

export const passkeyLogin = createRouter().openapi(route, async (c) => {
  const { response, flow } = c.req.valid("json");
  if (flow === "cookie") refuseForeignOrigin(c);
  const attempt = await c.var.services.passkeys.loginAttempt(response);
  return answerLogin(c, await c.var.services.login.logIn(attempt, clientOf(c), flow), flow);
});
