import { adminAccess } from "../../http/access.ts";
import { createRouter } from "../../http/router.ts";

import { toUserBody, UserSchema } from "../auth/schemas.ts";
import { defineRoute } from "../define-route.ts";
import { PageQuery, pageBody, pageOf, pageRequest } from "../schemas.ts";

export const route = defineRoute({
  method: "get",
  path: "/admin/users",
  tags: ["Admin"],
  summary: "Every user, oldest first",
  access: adminAccess(),
  errors: ["invalid_cursor"],
  request: { query: PageQuery },
  responses: {
    200: {
      description: "A page of users",
      content: { "application/json": { schema: pageOf(UserSchema, "UserPage") } },
    },
  },
});

export const usersList = createRouter().openapi(route, async (c) => {
  const page = await c.var.services.users.list(pageRequest(c.req.valid("query")));
  return c.json(pageBody(page, toUserBody), 200);
});
