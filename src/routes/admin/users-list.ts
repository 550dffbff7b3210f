import { adminAccess } from "../../auth/access.ts";
import { createRouter } from "../../router.ts";

import { toUserBody, UserSchema } from "../auth/schemas.ts";
import { defineRoute } from "../define-route.ts";
import { PageQuery, pageOf } from "../schemas.ts";

export const route = defineRoute({
  method: "get",
  path: "/admin/users",
  tags: ["Admin"],
  summary: "Every user, oldest first",
  access: adminAccess(),
  request: { query: PageQuery },
  responses: {
    200: {
      description: "A page of users",
      content: { "application/json": { schema: pageOf(UserSchema, "UserPage") } },
    },
  },
});

export const usersList = createRouter().openapi(route, async (c) => {
  const { offset, limit } = c.req.valid("query");
  const page = await c.var.services.users.list(offset, limit);
  return c.json({ ...page, items: page.items.map(toUserBody) }, 200);
});
