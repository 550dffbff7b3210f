import type { Context, MiddlewareHandler } from "hono";
import { ApiError } from "../core/errors.ts";
import type { AppEnv } from "./app-env.ts";
import { currentUser } from "./guards.ts";

/**
 * Re-authentication for sensitive changes (ASVS 7.5.1): a stolen access token alone
 * must not add a passkey, a never-expiring key or anything else that outlives the
 * token. The session must have proved its holder within REAUTH_WINDOW_SECONDS: the
 * login itself, or `POST /v1/auth/reauthenticate` with the password, a second-factor
 * code or a passkey. The time comes from the session check the request already made
 * (no extra call); only with SESSION_REVOCATION_CHECK off is the session asked.
 *
 * @example
 * await requireRecentAuthentication(c); // before a change listed in docs/api.md, "Re-authentication"
 */
export async function requireRecentAuthentication(c: Context<AppEnv>): Promise<void> {
  const auth = currentUser(c);
  const authenticatedAt =
    auth.authenticatedAt ?? (await c.var.services.sessions.check(auth.sessionId, null)).authenticatedAt;
  if (Date.now() - authenticatedAt <= c.env.REAUTH_WINDOW_SECONDS * 1000) return;
  throw new ApiError(
    "reauthentication_required",
    "Confirm it is you first: POST /v1/auth/reauthenticate with your password, a second-factor code or a passkey, then retry.",
  );
}

/** `requireRecentAuthentication` as a route guard, for routes that are sensitive whatever their body. */
export const recentAuthentication = (): MiddlewareHandler<AppEnv> => async (c, next) => {
  await requireRecentAuthentication(c);
  await next();
};
