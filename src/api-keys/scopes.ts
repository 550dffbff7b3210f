/**
 * What an API key may do, a closed set (documented in OpenAPI and in docs/api.md's scope
 * table, which test/docs/api.test.ts checks against this list). A key acts as its owner
 * within its scopes; a key never manages keys or sessions, whatever its scopes.
 */
export const SCOPES = ["profile:read", "notes:read", "notes:write", "employees:read", "employees:write"] as const;

export type Scope = (typeof SCOPES)[number];

/**
 * What a key created without `scopes` holds: a fixed set, not "every scope". A scope
 * added to SCOPES later joins it only by a change here, so a script that creates keys
 * without `scopes` never starts getting a new power nobody chose to give it.
 */
export const DEFAULT_SCOPES = [
  "profile:read",
  "notes:read",
  "notes:write",
  "employees:read",
  "employees:write",
] as const satisfies readonly Scope[];

/**
 * Whether a key would be a standing credential worth re-authenticating for
 * (src/http/recent-auth.ts): one that never expires, or that may write. A key
 * created without `scopes` holds DEFAULT_SCOPES, which may write, so it is wide too.
 */
export const isSensitiveKey = (key: { scopes?: readonly Scope[] | undefined; neverExpires?: boolean | undefined }) =>
  key.neverExpires === true || (key.scopes ?? DEFAULT_SCOPES).some((scope) => scope.endsWith(":write"));
