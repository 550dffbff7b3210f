import { createRoute } from "@hono/zod-openapi";
import { problemResponses } from "../../errors.ts";
import { createRouter, type Router } from "../../router.ts";
import { toKeyBody } from "../../services/api-keys.ts";
import { IdParams } from "../schemas.ts";
import { ApiKeySchema } from "./schemas.ts";
import type { KeyScope } from "./scope.ts";

/** `GET /v1/keys/{id}`. */
export function keyGet(scope: KeyScope): Router {
  const route = createRoute({
    method: "get",
    path: `${scope.path}/{id}`,
    tags: scope.tags,
    summary: "One API key (no secret)",
    security: scope.security,
    middleware: [scope.guard()] as const,
    request: { params: IdParams },
    responses: {
      200: { description: "The key", content: { "application/json": { schema: ApiKeySchema } } },
      ...problemResponses("validation_failed", "unauthorized", "forbidden", "not_found"),
    },
  });
  return createRouter().openapi(route, async (c) => {
    const row = await c.var.services.apiKeys.get(c.req.valid("param").id, scope.owner(c));
    return c.json(toKeyBody(row), 200);
  });
}
