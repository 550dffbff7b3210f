import { createRoute, z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { ApiError, ProblemSchema } from "../../core/errors.ts";
import { errorLogFields } from "../../db/errors.ts";
import { createRouter } from "../../http/router.ts";

export const route = createRoute({
  method: "get",
  path: "/health/ready",
  tags: ["Infrastructure"],
  summary: "Readiness: the database answers within DATABASE_TIMEOUT_MS",
  responses: {
    200: {
      description: "Ready",
      content: {
        "application/json": {
          schema: z.object({ status: z.literal("ok"), database: z.literal("ok") }).openapi("Readiness"),
        },
      },
    },
    503: {
      description: "The database is down or slow (`database_unavailable`)",
      content: { "application/problem+json": { schema: ProblemSchema } },
    },
  },
});

export const ready = createRouter().openapi(route, async (c) => {
  try {
    await c.var.services.db.execute(sql`SELECT 1`);
  } catch (error) {
    c.var.logger.warn("readiness_failed", errorLogFields(error));
    throw new ApiError("database_unavailable", "The database did not answer in time.");
  }
  return c.json({ status: "ok" as const, database: "ok" as const }, 200);
});
