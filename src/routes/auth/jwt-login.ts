import { createRoute } from "@hono/zod-openapi";
import { setSessionCookies } from "../../auth/cookies.ts";
import { logIn } from "../../auth/login.ts";
import { refuseForeignOrigin } from "../../auth/origin.ts";
import { problemResponses } from "../../errors.ts";
import { createRouter } from "../../router.ts";
import { bodyKind } from "../body.ts";
import { LoginSchema, noContent } from "./schemas.ts";

export const route = createRoute({
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
    204: noContent,
    ...problemResponses(
      "validation_failed",
      "invalid_credentials",
      "forbidden",
      "rate_limited",
      "rate_limiter_unavailable",
    ),
  },
});

export const jwtLogin = createRouter().openapi(route, async (c) => {
  refuseForeignOrigin(c);
  const { login, password } = bodyKind(c) === "form" ? c.req.valid("form") : c.req.valid("json");
  setSessionCookies(c, await logIn(c, login, password));
  return c.body(null, 204);
});
