import { createRouter, type Router } from "../../http/router.ts";

import { defineRoute } from "../define-route.ts";
import { IdParams } from "../schemas.ts";
import type { KeyManagement } from "./management.ts";
import { ApiKeySchema, toKeyBody } from "./schemas.ts";

/** `GET /v1/keys/{id}`. */
export function keyGet(management: KeyManagement): Router {
  const route = defineRoute({
    method: "get",
    path: `${management.path}/{id}`,
    tags: management.tags,
    summary: "One API key (no secret)",
    access: management.access,
    errors: ["not_found"],
    request: { params: IdParams },
    responses: {
      200: { description: "The key", content: { "application/json": { schema: ApiKeySchema } } },
    },
  });
  return createRouter().openapi(route, async (c) => {
    const row = await c.var.services.apiKeys.get(c.req.valid("param").id, management.owner(c));
    return c.json(toKeyBody(row), 200);
  });
}
