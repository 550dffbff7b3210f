/**
 * What an API key may do, a closed set (documented in OpenAPI). A key acts as its
 * owner within its scopes; a key never manages keys or sessions, whatever its scopes.
 */
export const SCOPES = ["profile:read", "notes:read", "notes:write", "employees:read", "employees:write"] as const;

export type Scope = (typeof SCOPES)[number];

/**
 * Whether a key would be a standing credential worth re-authenticating for
 * (src/http/recent-auth.ts): one that never expires, or that may write. A key
 * created without `scopes` holds every scope, so it is wide too.
 */
export const isSensitiveKey = (key: { scopes?: readonly Scope[] | undefined; neverExpires?: boolean | undefined }) =>
  key.neverExpires === true || (key.scopes ?? SCOPES).some((scope) => scope.endsWith(":write"));
