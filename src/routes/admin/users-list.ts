import { createRoute } from "@hono/zod-openapi";
import { ADMIN_SECURITY, requireAdmin } from "../../auth/guards.ts";
import { problemResponses } from "../../errors.ts";
import { createRouter } from "../../router.ts";
import { toUserBody } from "../../services/users.ts";
import { UserSchema } from "../auth/schemas.ts";
import { PageQuery, pageOf } from "../schemas.ts";

export const route = createRoute({
  method: "get",
  path: "/admin/users",
  tags: ["Admin"],
  summary: "Every user, oldest first",
  security: ADMIN_SECURITY,
  middleware: [requireAdmin()] as const,
  request: { query: PageQuery },
  responses: {
    200: {
      description: "A page of users",
      content: { "application/json": { schema: pageOf(UserSchema, "UserPage") } },
    },
    ...problemResponses("validation_failed", "unauthorized", "forbidden"),
  },
});

export const usersList = createRouter().openapi(route, async (c) => {
  const { offset, limit } = c.req.valid("query");
  const page = await c.var.services.users.list(offset, limit);
  return c.json({ ...page, items: page.items.map(toUserBody) }, 200);
});
