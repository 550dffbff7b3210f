import type { Context, MiddlewareHandler } from "hono";
import { secretsEqual } from "../crypto/constant-time.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import type { Role } from "../services/users.ts";
import { accessCookie } from "./cookies.ts";
import { refuseForeignOrigin } from "./origin.ts";

/** Who a request acts for. */
export type Auth =
  | { kind: "user"; userId: string; sessionId: string; via: "bearer" | "cookie" }
  | { kind: "admin_secret" };

export type UserAuth = Extract<Auth, { kind: "user" }>;

/** Who did it, for security events: a user id, or `admin_secret`. */
export const actorOf = (auth: Auth): string => (auth.kind === "user" ? auth.userId : "admin_secret");

/** OpenAPI `security` of routes that take an access token (Swagger UI's Authorize fills it). */
export const USER_SECURITY: Record<string, string[]>[] = [{ bearerAuth: [] }, { oauth2: [] }];
/** OpenAPI `security` of admin routes: an admin's access token or the admin secret. */
export const ADMIN_SECURITY: Record<string, string[]>[] = [...USER_SECURITY, { adminSecret: [] }];

const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;

/** The token of an `Authorization: Bearer <token>` header, or undefined for any other value. */
export const bearerToken = (header: string | undefined): string | undefined =>
  header === undefined ? undefined : BEARER.exec(header)?.[1];

const unauthorized = (detail: string) =>
  new ApiError("unauthorized", detail, { headers: { "WWW-Authenticate": 'Bearer realm="gatehouse"' } });

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
  if (c.env.SESSION_REVOCATION_CHECK && !(await c.var.services.sessions.isActive(claims.sessionId))) {
    throw unauthorized("The session has ended; log in again.");
  }
  return { kind: "user", ...claims, via: cookie === undefined ? "bearer" : "cookie" };
}

/** The user a `requireUser()` route acts for. */
export function currentUser(c: Context<AppEnv>): UserAuth {
  const auth = c.var.auth;
  if (auth?.kind !== "user") throw unauthorized("Authentication required.");
  return auth;
}

/**
 * Lets through requests with a valid access token and puts the user on `c.var.auth`.
 *
 * @example
 * createRoute({ method: "get", path: "/me", middleware: [requireUser()] as const, … })
 */
export function requireUser(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set("auth", await authenticateUser(c));
    await next();
  };
}

/**
 * Lets through users with one of `roles`; `is_superuser` passes every role check.
 * Reads the user afresh (one SQL request), so a role change applies at once.
 */
export function requireRole(...roles: Role[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set("auth", await authenticateRole(c, roles));
    await next();
  };
}

/**
 * Admin routes: an admin's (or superuser's) access token, or `X-Admin-Secret`
 * equal to ADMIN_SECRET for automation (compared in constant time; header only;
 * refused outright when ADMIN_SECRET is unset).
 */
export function requireAdmin(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const secret = c.req.header("X-Admin-Secret");
    if (secret === undefined) {
      c.set("auth", await authenticateRole(c, ["admin"]));
    } else {
      const expected = c.env.ADMIN_SECRET;
      if (expected === undefined || !(await secretsEqual(secret, expected))) {
        c.var.logger.warn("admin_secret_rejected", { security_event: true, ip: c.req.header("CF-Connecting-IP") });
        throw new ApiError("unauthorized", "The admin secret is not valid.");
      }
      c.set("auth", { kind: "admin_secret" });
    }
    await next();
  };
}

async function authenticateRole(c: Context<AppEnv>, roles: Role[]): Promise<UserAuth> {
  const auth = await authenticateUser(c);
  const user = await c.var.services.users.findActive(auth.userId);
  if (!user) throw unauthorized("The account is not active.");
  if (!user.isSuperuser && !roles.includes(user.role)) {
    throw new ApiError("forbidden", `This needs the ${roles.join(" or ")} role.`);
  }
  return auth;
}
