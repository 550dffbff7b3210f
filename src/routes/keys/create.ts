import { isSensitiveKey } from "../../api-keys/scopes.ts";
import { requireVerifiedEmail } from "../../http/email-verification.ts";
import { currentUser } from "../../http/guards.ts";
import { requireRecentAuthentication } from "../../http/recent-auth.ts";
import { createRouter, type Router } from "../../http/router.ts";

import { defineRoute } from "../define-route.ts";
import { ALL_KEYS, type KeyManagement } from "./management.ts";
import { CreatedApiKeySchema, CreateKeyAsAdminSchema, CreateKeySchema, toKeyBody } from "./schemas.ts";

/** `POST /v1/keys` (for the caller) and `POST /v1/admin/api-keys` (for a user or a service). */
export function keyCreate(management: KeyManagement): Router {
  const asAdmin = management === ALL_KEYS;
  const route = defineRoute({
    method: "post",
    path: management.path,
    tags: management.tags,
    summary: asAdmin ? "Create a service key, or a key on a user's behalf" : "Create an API key acting for you",
    access: management.access,
    errors: asAdmin
      ? ["not_found", "conflict"]
      : ["not_found", "conflict", "email_not_verified", "reauthentication_required"],
    request: {
      body: {
        required: true,
        content: { "application/json": { schema: asAdmin ? CreateKeyAsAdminSchema : CreateKeySchema } },
      },
    },
    responses: {
      201: {
        description: "The key, with its secret shown this once",
        content: { "application/json": { schema: CreatedApiKeySchema } },
      },
    },
  });
  return createRouter().openapi(route, async (c) => {
    const body = c.req.valid("json");
    if (!asAdmin) await requireVerifiedEmail(c);
    if (!asAdmin && isSensitiveKey({ scopes: body.scopes, neverExpires: body.never_expires })) {
      await requireRecentAuthentication(c);
    }
    // Only the admin schema has `user_id`; without it an admin makes a service key.
    const userId = asAdmin ? ((body as { user_id?: string }).user_id ?? null) : currentUser(c).userId;
    const { row, key } = await c.var.services.apiKeys.create({
      userId,
      name: body.name,
      scopes: body.scopes,
      expiresInDays: body.expires_in_days,
      neverExpires: body.never_expires,
      rateLimitPerMinute: body.rate_limit_per_minute,
      issuedByAdmin: asAdmin && userId !== null,
      selfService: !asAdmin,
    });
    c.var.services.analytics.track("api_key_created", { service_key: userId === null, scopes: row.scopes }, userId);
    return c.json({ ...toKeyBody(row), key }, 201);
  });
}
