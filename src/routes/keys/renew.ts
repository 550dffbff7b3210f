import { requireRecentAuthentication } from "../../http/recent-auth.ts";
import { createRouter, type Router } from "../../http/router.ts";

import { defineRoute } from "../define-route.ts";
import { IdParams } from "../schemas.ts";
import { ALL_KEYS, type KeyManagement } from "./management.ts";
import { ApiKeySchema, RenewKeySchema, toKeyBody } from "./schemas.ts";

/** `POST /v1/keys/{id}/renew` and `POST /v1/admin/api-keys/{id}/renew`. */
export function keyRenew(management: KeyManagement): Router {
  const route = defineRoute({
    method: "post",
    path: `${management.path}/{id}/renew`,
    tags: management.tags,
    summary: "Give an unrevoked key a new expiry; an expired key works again",
    access: management.access,
    errors:
      management === ALL_KEYS ? ["not_found", "conflict"] : ["not_found", "conflict", "reauthentication_required"],
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
    if (management !== ALL_KEYS && body.never_expires) await requireRecentAuthentication(c);
    const row = await c.var.services.apiKeys.renew(c.req.valid("param").id, management.owner(c), {
      expiresInDays: body.expires_in_days,
      neverExpires: body.never_expires,
    });
    return c.json(toKeyBody(row), 200);
  });
}
