import { createRoute, z } from "@hono/zod-openapi";
import { currentUser, requireUser, USER_SECURITY } from "../../auth/guards.ts";
import { hashPassword, verifyPassword } from "../../auth/passwords.ts";
import { ApiError, problemResponses } from "../../errors.ts";
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
    ...problemResponses("validation_failed", "unauthorized", "invalid_credentials", "forbidden"),
  },
});

export const password = createRouter().openapi(route, async (c) => {
  const { userId, sessionId } = currentUser(c);
  const { current_password, new_password } = c.req.valid("json");
  const { users, sessions } = c.var.services;
  const user = await users.findActive(userId);
  if (!user) throw new ApiError("unauthorized", "The account is not active.");
  if (!verifyPassword(current_password, user.passwordHash)) {
    throw new ApiError("invalid_credentials", "The current password is wrong.");
  }
  const ended = await users.changePassword(userId, hashPassword(new_password), sessionId);
  await sessions.endFamilies(ended);
  c.var.logger.info("password_changed", { security_event: true, user_id: userId, sessions_ended: ended.length });
  return c.body(null, 204);
});
