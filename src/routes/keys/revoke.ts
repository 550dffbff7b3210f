import { actorOf } from "../../auth/guards.ts";
import { createRouter, type Router } from "../../router.ts";
import { defineRoute } from "../define-route.ts";
import { IdParams } from "../schemas.ts";
import type { KeyScope } from "./scope.ts";

/** `DELETE /v1/keys/{id}` and `DELETE /v1/admin/api-keys/{id}`: refused from the next request on. */
export function keyRevoke(scope: KeyScope): Router {
  const route = defineRoute({
    method: "delete",
    path: `${scope.path}/{id}`,
    tags: scope.tags,
    summary: "Revoke an API key (idempotent); it is refused from the next request on",
    access: scope.access,
    errors: ["not_found"],
    request: { params: IdParams },
    responses: {
      204: { description: "Revoked" },
    },
  });
  return createRouter().openapi(route, async (c) => {
    const row = await c.var.services.apiKeys.revoke(c.req.valid("param").id, scope.owner(c));
    c.var.logger.info("api_key_revoked", {
      security_event: true,
      key_id: row.id,
      user_id: row.userId,
      by: actorOf(c.var.auth),
    });
    return c.body(null, 204);
  });
}
