import { createRoute } from "@hono/zod-openapi";
import { currentUser, requireUser, USER_SECURITY } from "../../auth/guards.ts";
import { ApiError, problemResponses } from "../../errors.ts";
import { createRouter } from "../../router.ts";
import { toUserBody } from "../../services/users.ts";
import { UserSchema } from "./schemas.ts";

export const route = createRoute({
  method: "get",
  path: "/auth/me",
  tags: ["Accounts and sessions"],
  summary: "The current user",
  security: USER_SECURITY,
  middleware: [requireUser()] as const,
  responses: {
    200: { description: "The current user", content: { "application/json": { schema: UserSchema } } },
    ...problemResponses("unauthorized", "forbidden"),
  },
});

export const me = createRouter().openapi(route, async (c) => {
  const { userId } = currentUser(c);
  const user = await c.var.services.users.findActive(userId);
  if (!user) throw new ApiError("unauthorized", "The account is not active.");
  return c.json(toUserBody(user), 200);
});
