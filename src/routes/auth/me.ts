import { ApiError } from "../../core/errors.ts";
import { anyAccess } from "../../http/access.ts";
import { actingUserId } from "../../http/guards.ts";
import { createRouter } from "../../http/router.ts";

import { defineRoute } from "../define-route.ts";
import { toUserBody, UserSchema } from "./schemas.ts";

export const route = defineRoute({
  method: "get",
  path: "/auth/me",
  tags: ["Accounts and sessions"],
  summary: "The current user; an API key (scope `profile:read`) resolves to its owner",
  access: anyAccess({ scope: "profile:read" }),
  responses: {
    200: { description: "The current user", content: { "application/json": { schema: UserSchema } } },
  },
});

export const me = createRouter().openapi(route, async (c) => {
  const user = await c.var.services.users.findActive(actingUserId(c));
  if (!user) throw new ApiError("unauthorized", "The account is not active.");
  return c.json(toUserBody(user), 200);
});
