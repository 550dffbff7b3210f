import { z } from "@hono/zod-openapi";
import { userAccess } from "../../http/access.ts";
import { currentUser } from "../../http/guards.ts";
import { createRouter } from "../../http/router.ts";
import { defineRoute } from "../define-route.ts";
import { CurrentPasswordSchema, noContent, PasswordSchema } from "./schemas.ts";

const ChangePasswordSchema = z
  .object({ current_password: CurrentPasswordSchema, new_password: PasswordSchema })
  .openapi("ChangePasswordRequest");

export const route = defineRoute({
  method: "post",
  path: "/auth/password",
  tags: ["Accounts and sessions"],
  summary: "Change the password; every other session of the user ends",
  access: userAccess({ apiKey: "forbidden" }),
  errors: ["invalid_credentials", "rate_limiter_unavailable"],
  request: { body: { required: true, content: { "application/json": { schema: ChangePasswordSchema } } } },
  responses: {
    204: noContent,
  },
});

export const password = createRouter().openapi(route, async (c) => {
  const { userId, sessionId } = currentUser(c);
  const { current_password, new_password } = c.req.valid("json");
  await c.var.services.accounts.changePassword({ userId, sessionId, ip: c.var.ip }, current_password, new_password);
  return c.body(null, 204);
});
