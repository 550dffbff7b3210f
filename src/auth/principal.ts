import type { Context } from "hono";
import type { Scope } from "../api-keys/scopes.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import type { SessionAccess } from "../sessions/session-family.ts";
import { unauthorized } from "./credentials.ts";

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
