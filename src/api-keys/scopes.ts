/**
 * What an API key may do, a closed set (documented in OpenAPI). A key acts as its
 * owner within its scopes; a key never manages keys or sessions, whatever its scopes.
 */
export const SCOPES = ["profile:read", "notes:read", "notes:write", "employees:read", "employees:write"] as const;

export type Scope = (typeof SCOPES)[number];
