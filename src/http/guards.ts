import type { Context, MiddlewareHandler } from "hono";
import type { Scope } from "../api-keys/scopes.ts";
import { secretsEqual } from "../core/constant-time.ts";
import { ApiError } from "../core/errors.ts";
import type { Auth, UserAuth } from "../credentials/principal.ts";
import { accessOf, type Role } from "../services/users.ts";
import type { AppEnv } from "./app-env.ts";
import { authenticateApiKey, authenticateUser } from "./authenticate.ts";
import { hasUserCredential, presentedApiKey, unauthorized } from "./request-credentials.ts";

/** Runs the route as `auth`; a key's use is recorded after the response (src/api-keys/usage-recorder.ts). */
async function actAs(c: Context<AppEnv>, auth: Auth, next: () => Promise<void>): Promise<void> {
  c.set("auth", auth);
  await next();
  if (auth.kind === "api_key") {
    c.var.services.usage.record({
      keyId: auth.keyId,
      at: new Date(),
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ip: c.var.ip ?? null,
    });
  }
}

/**
 * Authenticates with `attempt`. A request whose credential fails is counted against
 * its IP instead of a principal, so guessing credentials stays rate limited.
 */
async function authenticate<T extends Auth>(c: Context<AppEnv>, attempt: () => Promise<T>): Promise<T> {
  try {
    return await attempt();
  } catch (error) {
    await c.var.ipLimit?.apply();
    throw error;
  }
}

/**
 * Routes for people: an access token only. An API key alone is the wrong kind of
 * credential, 401 by default; `apiKey: "forbidden"` makes it a 403 for the routes
 * a key may never use whatever its scopes (managing keys and sessions).
 *
 * @example
 * defineRoute({ access: userAccess(), method: "get", path: "/me", … }) // src/http/access.ts
 */
export function requireUser(options: { apiKey?: "unauthorized" | "forbidden" } = {}): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const auth = await authenticate(c, () => {
      if (!hasUserCredential(c) && presentedApiKey(c) !== undefined) {
        if (options.apiKey === "forbidden") throw new ApiError("forbidden", "API keys cannot manage keys or sessions.");
        throw unauthorized(c, "This route takes an access token, not an API key.");
      }
      return authenticateUser(c);
    });
    await actAs(c, auth, next);
  };
}

/** Routes for services: an API key only; an access token alone is a 401. */
export function requireApiKey(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const auth = await authenticate(c, () => {
      const raw = presentedApiKey(c);
      if (raw === undefined) throw new ApiError("unauthorized", "This route takes an API key (`x-api-key`).");
      return authenticateApiKey(c, raw);
    });
    await actAs(c, auth, next);
  };
}

/**
 * Routes that take no credential: the request counts against its IP, also when it
 * carries a credential the route does not read.
 */
export function limitByClient(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await c.var.ipLimit?.apply();
    await next();
  };
}

/** Routes for either: an access token (preferred when both are sent) or an API key. */
export function requireAny(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const raw = hasUserCredential(c) ? undefined : presentedApiKey(c);
    const auth = await authenticate<Auth>(c, () =>
      raw === undefined ? authenticateUser(c) : authenticateApiKey(c, raw),
    );
    await actAs(c, auth, next);
  };
}

/**
 * After `requireAny()` / `requireApiKey()`: an API key must hold `scope` (403
 * `insufficient_scope`). Users are not limited by scopes; their roles decide.
 */
export function requireScope(scope: Scope): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const auth = c.var.auth;
    if (auth?.kind === "api_key" && !auth.scopes.includes(scope)) {
      throw new ApiError("insufficient_scope", `This needs an API key with the \`${scope}\` scope.`);
    }
    await next();
  };
}

/**
 * After `requireUser()` / `requireAny()`: the acting user (or the key's owner) must
 * have one of `roles`; `is_superuser` passes every role check. A user's role comes
 * from the session check (a role change updates live sessions at once), a key
 * owner's from the key's verification; only with SESSION_REVOCATION_CHECK off is
 * it read from the database. A service key was minted by an admin, so within its
 * scopes it passes, as does the admin secret.
 *
 * @example
 * middleware: [requireAny(), requireScope("employees:write"), requireRole("admin")] as const
 */
export function requireRole(...roles: Role[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await checkRole(c, c.var.auth, roles);
    await next();
  };
}

/**
 * Admin routes: an admin's (or superuser's) access token, or `X-Admin-Secret`
 * equal to ADMIN_SECRET for automation (compared in constant time; header only;
 * refused outright when ADMIN_SECRET is unset). API keys never pass.
 */
export function requireAdmin(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const secret = c.req.header("X-Admin-Secret");
    if (secret === undefined) return actAs(c, await authenticate(c, () => authenticateRole(c, ["admin"])), next);
    // The admin secret names no principal with a limit of its own: the client IP counts.
    await c.var.ipLimit?.apply();
    const expected = c.env.ADMIN_SECRET;
    if (expected === undefined || !(await secretsEqual(secret, expected))) {
      c.var.services.audit.record({ event: "admin_secret_rejected", outcome: "failure", actor: { kind: "anonymous" } });
      throw new ApiError("unauthorized", "The admin secret is not valid.");
    }
    await actAs(c, { kind: "admin_secret" }, next);
  };
}

async function authenticateRole(c: Context<AppEnv>, roles: Role[]): Promise<UserAuth> {
  if (!hasUserCredential(c) && presentedApiKey(c) !== undefined) {
    throw new ApiError("forbidden", `API keys cannot use ${roles.join(" or ")} routes.`);
  }
  const auth = await authenticateUser(c);
  await checkRole(c, auth, roles);
  return auth;
}

async function checkRole(c: Context<AppEnv>, auth: Auth, roles: Role[]): Promise<void> {
  if (auth.kind === "admin_secret" || (auth.kind === "api_key" && auth.userId === null)) return;
  let access = auth.kind === "user" ? auth.access : auth.ownerAccess;
  if (access === null) {
    const user = await c.var.services.users.findActive(auth.userId as string);
    if (!user) throw unauthorized(c, "The account is not active.");
    access = accessOf(user);
  }
  if (!access.superuser && !roles.includes(access.role)) {
    throw new ApiError("forbidden", `This needs the ${roles.join(" or ")} role.`);
  }
}

/** The user a `requireUser()` route acts for. */
export function currentUser(c: Context<AppEnv>): UserAuth {
  const auth = c.var.auth;
  if (auth?.kind !== "user") throw unauthorized(c, "Authentication required.");
  return auth;
}

/**
 * The user a request acts for: the token's user, or the owner of the API key. A
 * service key (no owner) or the admin secret acts for no user: 403 on owner-scoped
 * routes.
 */
export function actingUserId(c: Context<AppEnv>): string {
  const auth = c.var.auth;
  if (auth?.kind === "user" || (auth?.kind === "api_key" && auth.userId !== null)) return auth.userId as string;
  throw new ApiError("forbidden", "This route acts for a user; a service key or the admin secret has none.");
}
