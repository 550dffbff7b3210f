import { adminAccess } from "../../http/access.ts";
import { createRouter } from "../../http/router.ts";
import { toUserBody, UserSchema } from "../auth/schemas.ts";
import { defineRoute } from "../define-route.ts";
import { IdParams } from "../schemas.ts";

/** An administrator's remedy when a user's verification emails never arrive (REQUIRE_EMAIL_VERIFICATION). */
export const route = defineRoute({
  method: "post",
  path: "/admin/users/{id}/verify-email",
  tags: ["Admin"],
  summary: "Mark a user's email address verified (their verification emails do not arrive)",
  access: adminAccess(),
  errors: ["not_found"],
  request: { params: IdParams },
  responses: {
    200: { description: "The updated user", content: { "application/json": { schema: UserSchema } } },
  },
});

export const userEmailVerify = createRouter().openapi(route, async (c) => {
  const { id } = c.req.valid("param");
  const user = await c.var.services.users.markEmailVerified(id);
  return c.json(toUserBody(user), 200);
});
