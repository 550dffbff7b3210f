import { createRouter, type Router } from "../../http/router.ts";
import { defineRoute } from "../define-route.ts";
import { IdParams } from "../schemas.ts";
import type { KeyManagement } from "./management.ts";

/** `DELETE /v1/keys/{id}` and `DELETE /v1/admin/api-keys/{id}`: refused from the next request on. */
export function keyRevoke(management: KeyManagement): Router {
  const route = defineRoute({
    method: "delete",
    path: `${management.path}/{id}`,
    tags: management.tags,
    summary: "Revoke an API key (idempotent); it is refused from the next request on",
    access: management.access,
    errors: ["not_found"],
    request: { params: IdParams },
    responses: {
      204: { description: "Revoked" },
    },
  });
  return createRouter().openapi(route, async (c) => {
    await c.var.services.apiKeys.revoke(c.req.valid("param").id, management.owner(c));
    return c.body(null, 204);
  });
}
