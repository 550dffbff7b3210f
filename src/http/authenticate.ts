import type { Context } from "hono";
import type { Bindings } from "../core/env.ts";
import type { KeyAuth, UserAuth } from "../credentials/principal.ts";
import type { BucketRequest, Decision } from "../rate-limit/counters.ts";
import type { AppEnv } from "./app-env.ts";
import { accessCookie } from "./cookies.ts";
import { refuseForeignOrigin } from "./origin.ts";
import { bearerToken, unauthorized } from "./request-credentials.ts";

/**
 * The user behind the request's access token, from `Authorization: Bearer` or the
 * access cookie. A cookie on a state-changing request must come from an allowed
 * origin. With SESSION_REVOCATION_CHECK on (the default) the token's session must
 * still be live, so a logout or revocation takes effect on the very next request;
 * the same call counts the request against the session's own rate limit.
 */
export async function authenticateUser(c: Context<AppEnv>): Promise<UserAuth> {
  const header = c.req.header("Authorization");
  const bearer = bearerToken(header);
  if (header !== undefined && bearer === undefined) throw unauthorized(c, "Use `Authorization: Bearer <token>`.");
  const cookie = bearer === undefined ? accessCookie(c) : undefined;
  const token = bearer ?? cookie;
  if (!token) throw unauthorized(c, "Authentication required.");

  const claims = await c.var.services.accessTokens.verify(token);
  if (!claims) throw unauthorized(c, "The access token is invalid or expired.");
  if (cookie !== undefined) refuseForeignOrigin(c);
  const via = cookie === undefined ? "bearer" : "cookie";
  if (!c.env.SESSION_REVOCATION_CHECK) {
    // No session object is asked, so none can count the request: the IP does.
    await c.var.ipLimit?.apply();
    return { kind: "user", ...claims, via, access: null, authenticatedAt: null };
  }
  const { access, authenticatedAt, limit } = await c.var.services.sessions.check(
    claims.sessionId,
    sessionBucket(c.env),
  );
  if (access === null) throw unauthorized(c, "The session has ended; log in again.");
  settleLimit(c, limit, { session_id: claims.sessionId });
  return { kind: "user", ...claims, via, access, authenticatedAt };
}

/** A session's own limit, counted in its SessionFamily object by the session check; null when off. */
const sessionBucket = (env: Bindings): BucketRequest | null =>
  env.RATE_LIMIT_USER_PER_MINUTE > 0
    ? { name: "requests", limit: env.RATE_LIMIT_USER_PER_MINUTE, periodMs: env.RATE_LIMIT_WINDOW_SECONDS * 1000 }
    : null;

/** Records the principal's limit as the request's limit, or refuses the request with 429. */
function settleLimit(c: Context<AppEnv>, decision: Decision | null | undefined, details: Record<string, unknown>) {
  c.var.ipLimit?.settle(decision ?? null);
  if (decision && !decision.allowed) {
    throw c.var.services.limiter.refusal(decision.buckets, {
      route: c.req.path,
      ...details,
    });
  }
}

/**
 * The key behind the request's API key, verified (cached per isolate for
 * API_KEY_CACHE_TTL) and counted against its own `rate_limit_per_minute` only.
 */
export async function authenticateApiKey(c: Context<AppEnv>, raw: string): Promise<KeyAuth> {
  const { record: key, limit } = await c.var.services.apiKeys.verify(raw);
  settleLimit(c, limit, { key_id: key.id });
  return { kind: "api_key", keyId: key.id, userId: key.userId, scopes: key.scopes, ownerAccess: key.ownerAccess };
}
