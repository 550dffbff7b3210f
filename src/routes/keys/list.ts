import { createRouter, type Router } from "../../http/router.ts";

import { defineRoute } from "../define-route.ts";
import { PageQuery, pageBody, pageOf, pageRequest } from "../schemas.ts";
import type { KeyManagement } from "./management.ts";
import { ApiKeySchema, toKeyBody } from "./schemas.ts";

/** `GET /v1/keys` (the caller's keys) and `GET /v1/admin/api-keys` (every key); never a secret. */
export function keyList(management: KeyManagement): Router {
  const route = defineRoute({
    method: "get",
    path: management.path,
    tags: management.tags,
    summary: "API keys, newest first (no secrets)",
    access: management.access,
    errors: ["invalid_cursor"],
    request: { query: PageQuery },
    responses: {
      200: {
        description: "A page of keys",
        content: { "application/json": { schema: pageOf(ApiKeySchema, "ApiKeyPage") } },
      },
    },
  });
  return createRouter().openapi(route, async (c) => {
    const page = await c.var.services.apiKeys.list(management.owner(c), pageRequest(c.req.valid("query")));
    return c.json(pageBody(page, toKeyBody), 200);
  });
}
