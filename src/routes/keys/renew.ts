import { createRouter, type Router } from "../../router.ts";
import { toKeyBody } from "../../services/api-keys.ts";
import { defineRoute } from "../define-route.ts";
import { IdParams } from "../schemas.ts";
import { ApiKeySchema, RenewKeySchema } from "./schemas.ts";
import type { KeyScope } from "./scope.ts";

/** `POST /v1/keys/{id}/renew` and `POST /v1/admin/api-keys/{id}/renew`. */
export function keyRenew(scope: KeyScope): Router {
  const route = defineRoute({
    method: "post",
    path: `${scope.path}/{id}/renew`,
    tags: scope.tags,
    summary: "Give an unrevoked key a new expiry; an expired key works again",
    access: scope.access,
    errors: ["not_found", "conflict"],
    request: {
      params: IdParams,
      body: { required: true, content: { "application/json": { schema: RenewKeySchema } } },
    },
    responses: {
      200: { description: "The renewed key", content: { "application/json": { schema: ApiKeySchema } } },
    },
  });
  return createRouter().openapi(route, async (c) => {
    const body = c.req.valid("json");
    const row = await c.var.services.apiKeys.renew(c.req.valid("param").id, scope.owner(c), {
      expiresInDays: body.expires_in_days,
      neverExpires: body.never_expires,
    });
    return c.json(toKeyBody(row), 200);
  });
}
