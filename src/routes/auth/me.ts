import { createRoute } from "@hono/zod-openapi";
import { ANY_AUTH_ERRORS, ANY_SECURITY, actingUserId, requireAny, requireScope } from "../../auth/guards.ts";
import { ApiError, problemResponses } from "../../errors.ts";
import { createRouter } from "../../router.ts";
import { toUserBody } from "../../services/users.ts";
import { UserSchema } from "./schemas.ts";

export const route = createRoute({
  method: "get",
  path: "/auth/me",
  tags: ["Accounts and sessions"],
  summary: "The current user; an API key (scope `profile:read`) resolves to its owner",
  security: ANY_SECURITY,
  middleware: [requireAny(), requireScope("profile:read")] as const,
  responses: {
    200: { description: "The current user", content: { "application/json": { schema: UserSchema } } },
    ...problemResponses(...ANY_AUTH_ERRORS),
  },
});

export const me = createRouter().openapi(route, async (c) => {
  const user = await c.var.services.users.findActive(actingUserId(c));
  if (!user) throw new ApiError("unauthorized", "The account is not active.");
  return c.json(toUserBody(user), 200);
});
