import { z } from "@hono/zod-openapi";
import { adminAccess } from "../../http/access.ts";
import { createRouter } from "../../http/router.ts";

import { RoleSchema, toUserBody, UserSchema } from "../auth/schemas.ts";
import { defineRoute } from "../define-route.ts";
import { IdParams } from "../schemas.ts";

export const route = defineRoute({
  method: "patch",
  path: "/admin/users/{id}/role",
  tags: ["Admin"],
  summary: "Change a user's role",
  access: adminAccess(),
  errors: ["not_found"],
  request: {
    params: IdParams,
    body: {
      required: true,
      content: { "application/json": { schema: z.object({ role: RoleSchema }).openapi("RoleChange") } },
    },
  },
  responses: {
    200: { description: "The user with the new role", content: { "application/json": { schema: UserSchema } } },
  },
});

export const userRole = createRouter().openapi(route, async (c) => {
  const { id } = c.req.valid("param");
  const { role } = c.req.valid("json");
  const user = await c.var.services.accounts.changeRole(id, role);
  return c.json(toUserBody(user), 200);
});
