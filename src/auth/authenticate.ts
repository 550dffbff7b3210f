import type { Context } from "hono";
import type { AppEnv } from "../env.ts";
import { rateLimiterClient } from "../rate-limit/client.ts";
import { accessCookie } from "./cookies.ts";
import { bearerToken, unauthorized } from "./credentials.ts";
import { refuseForeignOrigin } from "./origin.ts";
import type { KeyAuth, UserAuth } from "./principal.ts";

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
export async function authenticateApiKey(c: Context<AppEnv>, raw: string): Promise<KeyAuth> {
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
