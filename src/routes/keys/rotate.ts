import { createRouter, type Router } from "../../http/router.ts";

import { defineRoute } from "../define-route.ts";
import { IdParams } from "../schemas.ts";
import type { KeyManagement } from "./management.ts";
import { CreatedApiKeySchema, RotateKeySchema, toKeyBody } from "./schemas.ts";

/** `POST /v1/keys/{id}/rotate`. */
export function keyRotate(management: KeyManagement): Router {
  const route = defineRoute({
    method: "post",
    path: `${management.path}/{id}/rotate`,
    tags: management.tags,
    summary: "A new secret for the key; the old one keeps working for `grace_seconds`",
    access: management.access,
    errors: ["not_found", "conflict"],
    request: {
      params: IdParams,
      body: { content: { "application/json": { schema: RotateKeySchema } } },
    },
    responses: {
      201: {
        description: "The key with its new secret, shown this once",
        content: { "application/json": { schema: CreatedApiKeySchema } },
      },
    },
  });
  return createRouter().openapi(route, async (c) => {
    const graceSeconds = c.req.valid("json").grace_seconds ?? 0;
    const { row, key } = await c.var.services.apiKeys.rotate(
      c.req.valid("param").id,
      management.owner(c),
      graceSeconds,
    );
    return c.json({ ...toKeyBody(row), key }, 201);
  });
}
