import { adminAccess } from "../../http/access.ts";
import { createRouter } from "../../http/router.ts";
import { noContent } from "../auth/schemas.ts";
import { defineRoute } from "../define-route.ts";
import { IdParams } from "../schemas.ts";

export const route = defineRoute({
  method: "delete",
  path: "/admin/users/{id}/mfa",
  tags: ["Admin"],
  summary: "Reset a user's second factor (a lost phone); every session of theirs ends",
  access: adminAccess(),
  errors: ["not_found", "sessions_unavailable"],
  request: { params: IdParams },
  responses: { 204: noContent },
});

export const userMfaReset = createRouter().openapi(route, async (c) => {
  await c.var.services.mfa.reset(c.req.valid("param").id);
  return c.body(null, 204);
});
