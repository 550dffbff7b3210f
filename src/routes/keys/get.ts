import { createRouter, type Router } from "../../router.ts";
import { toKeyBody } from "../../services/api-keys.ts";
import { defineRoute } from "../define-route.ts";
import { IdParams } from "../schemas.ts";
import { ApiKeySchema } from "./schemas.ts";
import type { KeyScope } from "./scope.ts";

/** `GET /v1/keys/{id}`. */
export function keyGet(scope: KeyScope): Router {
  const route = defineRoute({
    method: "get",
    path: `${scope.path}/{id}`,
    tags: scope.tags,
    summary: "One API key (no secret)",
    access: scope.access,
    errors: ["not_found"],
    request: { params: IdParams },
    responses: {
      200: { description: "The key", content: { "application/json": { schema: ApiKeySchema } } },
    },
  });
  return createRouter().openapi(route, async (c) => {
    const row = await c.var.services.apiKeys.get(c.req.valid("param").id, scope.owner(c));
    return c.json(toKeyBody(row), 200);
  });
}
