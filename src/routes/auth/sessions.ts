import { z } from "@hono/zod-openapi";
import { userAccess } from "../../http/access.ts";
import { currentUser } from "../../http/guards.ts";
import { createRouter } from "../../http/router.ts";
import { defineRoute } from "../define-route.ts";

const SessionSchema = z
  .object({
    id: z.uuid(),
    created_at: z.iso.datetime(),
    last_used_at: z.iso.datetime(),
    user_agent: z.string().nullable(),
    ip: z.string().nullable(),
    current: z.boolean().openapi({ description: "Whether this is the session of the token making the request" }),
  })
  .openapi("Session");

export const route = defineRoute({
  method: "get",
  path: "/auth/sessions",
  tags: ["Accounts and sessions"],
  summary: "The caller's live sessions, most recently used first",
  access: userAccess({ apiKey: "forbidden" }),
  responses: {
    200: { description: "Live sessions", content: { "application/json": { schema: z.array(SessionSchema) } } },
  },
});

export const sessions = createRouter().openapi(route, async (c) => {
  const { userId, sessionId } = currentUser(c);
  const live = await c.var.services.sessions.list(userId);
  return c.json(
    live.map((session) => ({
      id: session.id,
      created_at: session.createdAt.toISOString(),
      last_used_at: session.lastUsedAt.toISOString(),
      user_agent: session.userAgent,
      ip: session.ip,
      current: session.id === sessionId,
    })),
    200,
  );
});
