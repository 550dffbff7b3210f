import { z } from "@hono/zod-openapi";
import { DEFAULT_SCOPES, SCOPES, type Scope } from "../../api-keys/scopes.ts";
import type { ApiKey } from "../../db/schema/index.ts";
import { pageOf, typedText } from "../schemas.ts";

const ScopeSchema = z.enum(SCOPES).openapi("Scope", {
  description:
    `${SCOPES.join(", ")} (profile:read is GET /v1/auth/me). ` +
    "A key acts as its owner within its scopes and never manages keys or sessions.",
});

export const ApiKeySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    start: z.string().openapi({ description: "The key's first characters, for telling keys apart" }),
    scopes: z.array(ScopeSchema),
    user_id: z.uuid().nullable().openapi({ description: "The owner the key acts for; null for a service key" }),
    created_at: z.iso.datetime(),
    expires_at: z.iso.datetime().nullable(),
    last_used_at: z.iso.datetime().nullable(),
    usage_count: z.number().int(),
    revoked: z.boolean(),
    rate_limit_per_minute: z.number().int(),
    issued_by_admin: z.boolean().openapi({
      description: "Made by an administrator on the owner's behalf, not by the owner: revoke it if unexpected",
    }),
  })
  .openapi("ApiKey");

export const CreatedApiKeySchema = ApiKeySchema.extend({
  key: z.string().openapi({ description: "The secret. Shown only in this response: store it now." }),
}).openapi("CreatedApiKey");

const ExpiryFields = {
  expires_in_days: z.number().int().min(1).max(3650).optional(),
  never_expires: z.boolean().optional(),
};

export const CreateKeySchema = z
  .object({
    name: typedText(100),
    scopes: z
      .array(ScopeSchema)
      .max(SCOPES.length)
      .optional()
      .openapi({
        description: `Default: ${DEFAULT_SCOPES.join(", ")} (a fixed set; a new scope is never added to it silently)`,
      }),
    rate_limit_per_minute: z.number().int().min(1).max(1_000_000).optional(),
    ...ExpiryFields,
  })
  .openapi("CreateApiKeyRequest");

export const CreateKeyAsAdminSchema = CreateKeySchema.extend({
  user_id: z.uuid().optional().openapi({ description: "Issue the key on this user's behalf; omit for a service key" }),
}).openapi("CreateApiKeyAsAdminRequest");

export const RenewKeySchema = z.object(ExpiryFields).openapi("RenewApiKeyRequest");

export const RotateKeySchema = z
  .object({ grace_seconds: z.number().int().min(0).max(86_400).default(0) })
  .openapi("RotateApiKeyRequest");

export const UsageSchema = pageOf(
  z.object({
    at: z.iso.datetime(),
    method: z.string(),
    path: z.string(),
    status: z.number().int(),
    ip: z.string().nullable(),
  }),
  "ApiKeyUsage",
  { total_requests: z.number().int(), last_used_at: z.iso.datetime().nullable() },
);

/** The public shape of a key: never the secret or its hash. */
export function toKeyBody(key: ApiKey) {
  const body = {
    id: key.id,
    name: key.name,
    start: key.start,
    scopes: key.scopes as Scope[],
    user_id: key.userId,
    created_at: key.createdAt.toISOString(),
    expires_at: key.expiresAt?.toISOString() ?? null,
    last_used_at: key.lastUsedAt?.toISOString() ?? null,
    usage_count: key.usageCount,
    revoked: key.revokedAt !== null,
    rate_limit_per_minute: key.rateLimitPerMinute,
    issued_by_admin: key.issuedByAdmin,
  } satisfies z.input<typeof ApiKeySchema>;
  return body;
}
