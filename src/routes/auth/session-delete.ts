import { z } from "@hono/zod-openapi";
import { userAccess } from "../../http/access.ts";
import { currentUser } from "../../http/guards.ts";
import { createRouter } from "../../http/router.ts";
import { defineRoute } from "../define-route.ts";
import { noContent } from "./schemas.ts";

export const route = defineRoute({
  method: "delete",
  path: "/auth/sessions/{id}",
  tags: ["Accounts and sessions"],
  summary: "End one of the caller's sessions; its refresh and access tokens stop working at once",
  access: userAccess({ apiKey: "forbidden" }),
  errors: ["not_found"],
  request: { params: z.object({ id: z.uuid() }) },
  responses: { 204: noContent },
});

export const sessionDelete = createRouter().openapi(route, async (c) => {
  const { userId } = currentUser(c);
  const { id } = c.req.valid("param");
  await c.var.services.sessions.end(userId, id);
  return c.body(null, 204);
});
