import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../../http/router.ts";

export const route = createRoute({
  method: "get",
  path: "/health",
  tags: ["Infrastructure"],
  summary: "Liveness: the Worker answers (touches no dependency)",
  responses: {
    200: {
      description: "Alive",
      content: { "application/json": { schema: z.object({ status: z.literal("ok") }).openapi("Health") } },
    },
  },
});

export const health = createRouter().openapi(route, (c) => c.json({ status: "ok" as const }, 200));
