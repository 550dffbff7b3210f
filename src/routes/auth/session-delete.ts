import { createRoute, z } from "@hono/zod-openapi";
import { currentUser, requireUser, USER_SECURITY } from "../../auth/guards.ts";
import { problemResponses } from "../../errors.ts";
import { createRouter } from "../../router.ts";
import { noContent } from "./schemas.ts";

export const route = createRoute({
  method: "delete",
  path: "/auth/sessions/{id}",
  tags: ["Accounts and sessions"],
  summary: "End one of the caller's sessions; its refresh and access tokens stop working at once",
  security: USER_SECURITY,
  middleware: [requireUser({ apiKey: "forbidden" })] as const,
  request: { params: z.object({ id: z.uuid() }) },
  responses: { 204: noContent, ...problemResponses("validation_failed", "unauthorized", "forbidden", "not_found") },
});

export const sessionDelete = createRouter().openapi(route, async (c) => {
  const { userId } = currentUser(c);
  const { id } = c.req.valid("param");
  await c.var.services.sessions.end(userId, id);
  c.var.logger.info("logout", { security_event: true, user_id: userId, session_id: id });
  return c.body(null, 204);
});
