import { createRoute } from "@hono/zod-openapi";
import { problemResponses } from "../../errors.ts";
import { createRouter, type Router } from "../../router.ts";
import { toKeyBody } from "../../services/api-keys.ts";
import { PageQuery, pageOf } from "../schemas.ts";
import { ApiKeySchema } from "./schemas.ts";
import type { KeyScope } from "./scope.ts";

/** `GET /v1/keys` (the caller's keys) and `GET /v1/admin/api-keys` (every key); never a secret. */
export function keyList(scope: KeyScope): Router {
  const route = createRoute({
    method: "get",
    path: scope.path,
    tags: scope.tags,
    summary: "API keys, newest first (no secrets)",
    security: scope.security,
    middleware: [scope.guard()] as const,
    request: { query: PageQuery },
    responses: {
      200: {
        description: "A page of keys",
        content: { "application/json": { schema: pageOf(ApiKeySchema, "ApiKeyPage") } },
      },
      ...problemResponses("validation_failed", "unauthorized", "forbidden"),
    },
  });
  return createRouter().openapi(route, async (c) => {
    const { offset, limit } = c.req.valid("query");
    const page = await c.var.services.apiKeys.list(scope.owner(c), offset, limit);
    return c.json({ ...page, items: page.items.map(toKeyBody) }, 200);
  });
}
