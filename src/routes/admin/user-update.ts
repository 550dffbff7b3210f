import { z } from "@hono/zod-openapi";
import { adminAccess } from "../../http/access.ts";
import { createRouter } from "../../http/router.ts";

import { toUserBody, UserSchema } from "../auth/schemas.ts";
import { defineRoute } from "../define-route.ts";
import { IdParams } from "../schemas.ts";

export const route = defineRoute({
  method: "patch",
  path: "/admin/users/{id}",
  tags: ["Admin"],
  summary: "Activate or deactivate a user; deactivating ends every session of theirs at once",
  access: adminAccess(),
  errors: ["not_found"],
  request: {
    params: IdParams,
    body: {
      required: true,
      content: { "application/json": { schema: z.object({ is_active: z.boolean() }).openapi("UserActivation") } },
    },
  },
  responses: {
    200: { description: "The updated user", content: { "application/json": { schema: UserSchema } } },
  },
});

export const userUpdate = createRouter().openapi(route, async (c) => {
  const { id } = c.req.valid("param");
  const { is_active } = c.req.valid("json");
  const user = await c.var.services.accounts.setActive(id, is_active);
  return c.json(toUserBody(user), 200);
});
