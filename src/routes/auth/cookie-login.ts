import { PUBLIC } from "../../http/access.ts";
import { answerLogin, clientOf } from "../../http/login-response.ts";
import { refuseForeignOrigin } from "../../http/origin.ts";
import { createRouter } from "../../http/router.ts";
import { bodyKind } from "../body.ts";
import { defineRoute } from "../define-route.ts";
import { LoginSchema, MfaChallengeSchema, noContent } from "./schemas.ts";

export const route = defineRoute({
  access: PUBLIC,
  errors: ["invalid_credentials", "email_not_verified", "forbidden", "rate_limiter_unavailable"],
  method: "post",
  path: "/auth/jwt/login",
  tags: ["Accounts and sessions"],
  summary: "Log in for browsers: sets httpOnly access and refresh cookies",
  description:
    "Form or JSON. Sets `{COOKIE_PREFIX}_access` (Path=/) and `{COOKIE_PREFIX}_refresh` (Path=/v1/auth). " +
    "A browser request from an origin outside CORS_ORIGINS is refused (login CSRF).",
  request: {
    body: {
      content: {
        "application/json": { schema: LoginSchema },
        "application/x-www-form-urlencoded": { schema: LoginSchema },
      },
    },
  },
  responses: {
    200: {
      description: "The account has a second factor: no cookies yet; /v1/auth/mfa/verify sets them",
      content: { "application/json": { schema: MfaChallengeSchema } },
    },
    204: noContent,
  },
});

export const jwtLogin = createRouter().openapi(route, async (c) => {
  refuseForeignOrigin(c);
  const { login, password } = bodyKind(c) === "form" ? c.req.valid("form") : c.req.valid("json");
  return answerLogin(c, await c.var.services.login.withPassword(login, password, clientOf(c), "cookie"), "cookie");
});
