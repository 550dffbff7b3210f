import { z } from "@hono/zod-openapi";
import { PUBLIC } from "../../auth/access.ts";
import { setSessionCookies } from "../../auth/cookies.ts";
import { refuseForeignOrigin } from "../../auth/origin.ts";
import { createRouter } from "../../router.ts";
import { noContent, TokenPairSchema } from "../auth/schemas.ts";
import { defineRoute } from "../define-route.ts";
import { requirePasskeys } from "./enabled.ts";
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
  errors: [
    "invalid_passkey",
    "invalid_credentials",
    "email_not_verified",
    "forbidden",
    "not_found",
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
  requirePasskeys(c);
  const { response, flow } = c.req.valid("json");
  if (flow === "cookie") refuseForeignOrigin(c);
  const ip = c.req.header("CF-Connecting-IP");
  const { services, logger } = c.var;
  const user = await services.passkeys.logIn(response, ip);
  const tokens = await services.sessions.start(user, { ip, userAgent: c.req.header("User-Agent") });
  logger.info("login_success", { security_event: true, ip, user_id: user.id, method: "passkey" });
  services.analytics.track("user_logged_in", { route: c.req.path }, user.id);
  if (flow === "bearer") return c.json(tokens, 200);
  setSessionCookies(c, tokens);
  return c.body(null, 204);
});
