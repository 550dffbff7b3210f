import { createRouter, type Router } from "../../http/router.ts";
import { defineRoute } from "../define-route.ts";
import { IdParams, PageQuery, pageBody, pageRequest } from "../schemas.ts";
import type { KeyManagement } from "./management.ts";
import { UsageSchema } from "./schemas.ts";

/** `GET /v1/keys/{id}/usage` and `GET /v1/admin/api-keys/{id}/usage`. */
export function keyUsage(management: KeyManagement): Router {
  const route = defineRoute({
    method: "get",
    path: `${management.path}/{id}/usage`,
    tags: management.tags,
    summary: "How often and how the key was used, newest first",
    description: "Usage is written in batches shortly after each response, so the last moment may be missing.",
    access: management.access,
    errors: ["not_found", "invalid_cursor"],
    request: { params: IdParams, query: PageQuery },
    responses: {
      200: { description: "Usage", content: { "application/json": { schema: UsageSchema } } },
    },
  });
  return createRouter().openapi(route, async (c) => {
    const query = pageRequest(c.req.valid("query"));
    const usage = await c.var.services.apiKeys.usage(c.req.valid("param").id, management.owner(c), query);
    return c.json(
      {
        total_requests: usage.totalRequests,
        last_used_at: usage.lastUsedAt?.toISOString() ?? null,
        ...pageBody(usage, (item) => ({ ...item, at: item.at.toISOString() })),
      },
      200,
    );
  });
}
