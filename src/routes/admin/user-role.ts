import { createRoute, z } from "@hono/zod-openapi";
import { ADMIN_SECURITY, actorOf, requireAdmin } from "../../auth/guards.ts";
import { problemResponses } from "../../errors.ts";
import { createRouter } from "../../router.ts";
import { toUserBody } from "../../services/users.ts";
import { UserSchema } from "../auth/schemas.ts";
import { IdParams } from "../schemas.ts";

export const route = createRoute({
  method: "patch",
  path: "/admin/users/{id}/role",
  tags: ["Admin"],
  summary: "Change a user's role",
  security: ADMIN_SECURITY,
  middleware: [requireAdmin()] as const,
  request: {
    params: IdParams,
    body: {
      required: true,
      content: { "application/json": { schema: z.object({ role: z.enum(["user", "admin"]) }).openapi("RoleChange") } },
    },
  },
  responses: {
    200: { description: "The user with the new role", content: { "application/json": { schema: UserSchema } } },
    ...problemResponses("validation_failed", "unauthorized", "forbidden", "not_found"),
  },
});

export const userRole = createRouter().openapi(route, async (c) => {
  const { id } = c.req.valid("param");
  const { role } = c.req.valid("json");
  const user = await c.var.services.accounts.changeRole(id, role);
  c.var.logger.info("role_changed", {
    security_event: true,
    user_id: id,
    role,
    by: actorOf(c.var.auth),
  });
  return c.json(toUserBody(user), 200);
});
