import type { Context, MiddlewareHandler } from "hono";
import type { Scope } from "../api-keys/scopes.ts";
import { recordUsage } from "../api-keys/usage-recorder.ts";
import { secretsEqual } from "../crypto/constant-time.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import { rateLimiterClient } from "../rate-limit/client.ts";
import { accessOf, type Role } from "../services/users.ts";
import type { SessionAccess } from "../sessions/session-family.ts";
import { accessCookie } from "./cookies.ts";
import { refuseForeignOrigin } from "./origin.ts";

/** Who a request acts for. */
export type Auth =
  | {
      kind: "user";
      userId: string;
      sessionId: string;
      via: "bearer" | "cookie";
      /** The session's current role, from its Durable Object; null with SESSION_REVOCATION_CHECK off. */
      access: SessionAccess | null;
    }
  | {
      kind: "api_key";
      keyId: string;
      /** The owner the key acts for; null for a service key. */
      userId: string | null;
      scopes: Scope[];
      ownerAccess: SessionAccess | null;
    }
  | { kind: "admin_secret" };

export type UserAuth = Extract<Auth, { kind: "user" }>;
export type KeyAuth = Extract<Auth, { kind: "api_key" }>;

/** Who did it, for security events: a user id, a key, or `admin_secret`. */
export const actorOf = (auth: Auth): string =>
  auth.kind === "user" ? auth.userId : auth.kind === "api_key" ? `api_key:${auth.keyId}` : "admin_secret";

const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;

/** The token of an `Authorization: Bearer <token>` header, or undefined for any other value. */
export const bearerToken = (header: string | undefined): string | undefined =>
  header === undefined ? undefined : BEARER.exec(header)?.[1];

const unauthorized = (detail: string) =>
  new ApiError("unauthorized", detail, { headers: { "WWW-Authenticate": 'Bearer realm="gatehouse"' } });

/** Whether the request carries a user credential (bearer header or access cookie). */
const hasUserCredential = (c: Context<AppEnv>) =>
  c.req.header("Authorization") !== undefined || accessCookie(c) !== undefined;

/**
 * The API key of the request: `x-api-key`, else `api-key`, else (only with
 * API_KEY_ALLOW_QUERY=true) the `api_key` query parameter, which the request log
 * never prints (it logs the path only).
 */
function presentedApiKey(c: Context<AppEnv>): string | undefined {
  return (
    c.req.header("x-api-key") ??
    c.req.header("api-key") ??
    (c.env.API_KEY_ALLOW_QUERY ? c.req.query("api_key") : undefined)
  );
}

/**
 * The user behind the request's access token, from `Authorization: Bearer` or the
 * access cookie. A cookie on a state-changing request must come from an allowed
 * origin. With SESSION_REVOCATION_CHECK on (the default) the token's session must
 * still be live, so a logout or revocation takes effect on the very next request.
 */
export async function authenticateUser(c: Context<AppEnv>): Promise<UserAuth> {
  const header = c.req.header("Authorization");
  const bearer = bearerToken(header);
  if (header !== undefined && bearer === undefined) throw unauthorized("Use `Authorization: Bearer <token>`.");
  const cookie = bearer === undefined ? accessCookie(c) : undefined;
  const token = bearer ?? cookie;
  if (!token) throw unauthorized("Authentication required.");

  const claims = await c.var.services.accessTokens.verify(token);
  if (!claims) throw unauthorized("The access token is invalid or expired.");
  if (cookie !== undefined) refuseForeignOrigin(c);
  const access = c.env.SESSION_REVOCATION_CHECK ? await c.var.services.sessions.access(claims.sessionId) : null;
  if (c.env.SESSION_REVOCATION_CHECK && access === null) throw unauthorized("The session has ended; log in again.");
  return { kind: "user", ...claims, via: cookie === undefined ? "bearer" : "cookie", access };
}

/**
 * The key behind the request's API key, verified (cached per isolate for
 * API_KEY_CACHE_TTL) and counted against its own `rate_limit_per_minute`.
 */
async function authenticateApiKey(c: Context<AppEnv>, raw: string): Promise<KeyAuth> {
  const key = await c.var.services.apiKeys.verify(raw);
  const bucket = { name: "api_key", limit: key.rateLimitPerMinute, periodMs: c.env.RATE_LIMIT_WINDOW_SECONDS * 1000 };
  const limiter = rateLimiterClient(c.env, c.var.logger);
  // Like the per-IP limits outside login: an unreachable limiter must not take the API down.
  const decision = await limiter.call(`key:${key.id}`, "open", (object) => object.consume([bucket]));
  if (decision && !decision.allowed) {
    throw limiter.refusal(decision.buckets, {
      ip: c.req.header("CF-Connecting-IP") ?? null,
      route: c.req.path,
      key_id: key.id,
    });
  }
  return { kind: "api_key", keyId: key.id, userId: key.userId, scopes: key.scopes, ownerAccess: key.ownerAccess };
}

/** Runs the route as `auth`; a key's use is recorded after the response (src/api-keys/usage-recorder.ts). */
async function actAs(c: Context<AppEnv>, auth: Auth, next: () => Promise<void>): Promise<void> {
  c.set("auth", auth);
  await next();
  if (auth.kind === "api_key") {
    recordUsage(c.executionCtx, c.env, c.var.logger, {
      keyId: auth.keyId,
      at: new Date(),
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ip: c.req.header("CF-Connecting-IP") ?? null,
    });
  }
}

/**
 * Routes for people: an access token only. An API key alone is the wrong kind of
 * credential, 401 by default; `apiKey: "forbidden"` makes it a 403 for the routes
 * a key may never use whatever its scopes (managing keys and sessions).
 *
 * @example
 * defineRoute({ access: userAccess(), method: "get", path: "/me", … }) // src/auth/access.ts
 */
export function requireUser(options: { apiKey?: "unauthorized" | "forbidden" } = {}): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!hasUserCredential(c) && presentedApiKey(c) !== undefined) {
      if (options.apiKey === "forbidden") throw new ApiError("forbidden", "API keys cannot manage keys or sessions.");
      throw unauthorized("This route takes an access token, not an API key.");
    }
    await actAs(c, await authenticateUser(c), next);
  };
}

/** Routes for services: an API key only; an access token alone is a 401. */
export function requireApiKey(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const raw = presentedApiKey(c);
    if (raw === undefined) throw new ApiError("unauthorized", "This route takes an API key (`x-api-key`).");
    await actAs(c, await authenticateApiKey(c, raw), next);
  };
}

/** Routes for either: an access token (preferred when both are sent) or an API key. */
export function requireAny(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const raw = hasUserCredential(c) ? undefined : presentedApiKey(c);
    await actAs(c, raw === undefined ? await authenticateUser(c) : await authenticateApiKey(c, raw), next);
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

/** The user a `requireUser()` route acts for. */
export function currentUser(c: Context<AppEnv>): UserAuth {
  const auth = c.var.auth;
  if (auth?.kind !== "user") throw unauthorized("Authentication required.");
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
    if (secret === undefined) return actAs(c, await authenticateRole(c, ["admin"]), next);
    const expected = c.env.ADMIN_SECRET;
    if (expected === undefined || !(await secretsEqual(secret, expected))) {
      c.var.logger.warn("admin_secret_rejected", { security_event: true, ip: c.req.header("CF-Connecting-IP") });
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
    if (!user) throw unauthorized("The account is not active.");
    access = accessOf(user);
  }
  if (!access.superuser && !roles.includes(access.role)) {
    throw new ApiError("forbidden", `This needs the ${roles.join(" or ")} role.`);
  }
}
