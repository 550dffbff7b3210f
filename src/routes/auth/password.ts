import { createRoute, z } from "@hono/zod-openapi";
import { currentUser, requireUser, USER_SECURITY } from "../../auth/guards.ts";
import { problemResponses } from "../../errors.ts";
import { createRouter } from "../../router.ts";
import { noContent, PasswordSchema } from "./schemas.ts";

const ChangePasswordSchema = z
  .object({ current_password: z.string().min(1).max(1024), new_password: PasswordSchema })
  .openapi("ChangePasswordRequest");

export const route = createRoute({
  method: "post",
  path: "/auth/password",
  tags: ["Accounts and sessions"],
  summary: "Change the password; every other session of the user ends",
  security: USER_SECURITY,
  middleware: [requireUser({ apiKey: "forbidden" })] as const,
  request: { body: { required: true, content: { "application/json": { schema: ChangePasswordSchema } } } },
  responses: {
    204: noContent,
    ...problemResponses(
      "validation_failed",
      "unauthorized",
      "invalid_credentials",
      "forbidden",
      "rate_limited",
      "rate_limiter_unavailable",
    ),
  },
});

export const password = createRouter().openapi(route, async (c) => {
  const { userId, sessionId } = currentUser(c);
  const { current_password, new_password } = c.req.valid("json");
  const ip = c.req.header("CF-Connecting-IP");
  const { sessionsEnded } = await c.var.services.accounts.changePassword(
    { userId, sessionId, ip },
    current_password,
    new_password,
  );
  c.var.logger.info("password_changed", { security_event: true, user_id: userId, sessions_ended: sessionsEnded });
  return c.body(null, 204);
});
