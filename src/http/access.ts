import type { MiddlewareHandler } from "hono";
import type { Scope } from "../api-keys/scopes.ts";
import type { ErrorCode } from "../core/errors.ts";
import type { Role } from "../services/users.ts";
import type { AppEnv } from "./app-env.ts";
import {
  limitByClient,
  requireAdmin,
  requireAny,
  requireApiKey,
  requireRole,
  requireScope,
  requireUser,
} from "./guards.ts";
import { recentAuthentication } from "./recent-auth.ts";

type SecurityRequirement = Record<string, string[]>;

/**
 * Who may call a route, declared once: the guards that enforce it, the OpenAPI
 * `security` that documents it, and every problem those guards can answer with.
 * `defineRoute` (src/routes/define-route.ts) builds a route from it, so the three
 * can never drift apart.
 *
 * @example
 * defineRoute({ access: anyAccess({ scope: "notes:read" }), method: "get", path: "/notes", … })
 */
export interface Access {
  guards: MiddlewareHandler<AppEnv>[];
  security: SecurityRequirement[];
  errors: readonly ErrorCode[];
}

const USER_SECURITY: SecurityRequirement[] = [{ bearerAuth: [] }, { oauth2: [] }];
const KEY_SECURITY: SecurityRequirement[] = [{ apiKey: [] }];

/** An access token: verification, the session check, and a cookie's origin check. */
const TOKEN_ERRORS = ["unauthorized", "forbidden", "sessions_unavailable"] as const satisfies ErrorCode[];
/** An API key: format, verification (a SQL request unless cached), state, and its own limit. */
const KEY_ERRORS = [
  "unauthorized",
  "invalid_api_key",
  "api_key_expired",
  "api_key_revoked",
  "rate_limited",
  "database_unavailable",
] as const satisfies ErrorCode[];

/** Anyone: no credential is read. */
export const PUBLIC: Access = { guards: [limitByClient()], security: [], errors: [] };

/**
 * People: an access token only. An API key alone is a 401, or with
 * `apiKey: "forbidden"` a 403 (managing keys and sessions, which a key may never do).
 * With `recentAuthentication`, the session must have proved its holder within
 * REAUTH_WINDOW_SECONDS (src/http/recent-auth.ts), else 403 `reauthentication_required`.
 */
export function userAccess(
  options: { apiKey?: "unauthorized" | "forbidden"; recentAuthentication?: boolean } = {},
): Access {
  if (!options.recentAuthentication) {
    return { guards: [requireUser(options)], security: USER_SECURITY, errors: TOKEN_ERRORS };
  }
  return {
    guards: [requireUser(options), recentAuthentication()],
    security: USER_SECURITY,
    errors: [...TOKEN_ERRORS, "reauthentication_required"],
  };
}

/** Services: an API key only, holding `scope` if given. */
export function keyAccess(options: { scope?: Scope } = {}): Access {
  const scoped = options.scope ? [requireScope(options.scope)] : [];
  return {
    guards: [requireApiKey(), ...scoped],
    security: KEY_SECURITY,
    errors: [...KEY_ERRORS, ...(options.scope ? (["insufficient_scope"] as const) : [])],
  };
}

/**
 * Either an access token or an API key (holding `scope`); with `role`, the user or the
 * key's owner must have it (`is_superuser` always passes; a service key passes within
 * its scopes). Routes that act for a user refuse a service key with 403 `forbidden`.
 */
export function anyAccess(options: { scope?: Scope; role?: Role } = {}): Access {
  const scoped = options.scope ? [requireScope(options.scope)] : [];
  const roleCheck = options.role ? [requireRole(options.role)] : [];
  return {
    guards: [requireAny(), ...scoped, ...roleCheck],
    security: [...USER_SECURITY, ...KEY_SECURITY],
    errors: [...new Set<ErrorCode>([...TOKEN_ERRORS, ...KEY_ERRORS, "insufficient_scope"])],
  };
}

/** Administrators: an admin's (or superuser's) access token, or the `X-Admin-Secret` header. */
export const adminAccess = (): Access => ({
  guards: [requireAdmin()],
  security: [...USER_SECURITY, { adminSecret: [] }],
  errors: TOKEN_ERRORS,
});
