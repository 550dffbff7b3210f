import type { Context, MiddlewareHandler } from "hono";
import type { Bindings } from "../../core/env.ts";
import { ApiError } from "../../core/errors.ts";
import { IpLimit } from "../../rate-limit/ip-limit.ts";
import { ipSubject } from "../../rate-limit/ip-subjects.ts";
import type { BucketRequest } from "../../rate-limit/limiter.ts";
import type { AppEnv } from "../app-env.ts";
import { accessCookie } from "../cookies.ts";
import { problem } from "./on-error.ts";

/** Routes with a limit of their own, on top of the global one. */
export type RouteBucket = "login" | "register" | "refresh" | "recovery";

/**
 * Which route bucket a request falls in: `"POST /v1/auth/login"` → `login`, or a
 * function of the request for a route whose bucket depends on its body.
 */
export type RouteBuckets = Readonly<
  Record<string, RouteBucket | ((c: Context<AppEnv>) => Promise<RouteBucket | undefined>)>
>;

const ROUTE_LIMIT: Record<RouteBucket, (env: Bindings) => number> = {
  login: (env) => env.RATE_LIMIT_LOGIN_PER_MINUTE,
  register: (env) => env.RATE_LIMIT_REGISTER_PER_MINUTE,
  refresh: (env) => env.RATE_LIMIT_REFRESH_PER_MINUTE,
  recovery: (env) => env.RATE_LIMIT_RECOVERY_PER_MINUTE,
};

/**
 * If the limiter cannot be reached, credential-guessing surfaces (login, register,
 * the account-email tokens) fail closed with a 503; everything else fails open, so an outage of the limiter
 * does not take the API down. Both are logged.
 */
const FAIL_CLOSED: ReadonlySet<string> = new Set<RouteBucket>(["login", "register", "recovery"]);

/** Whether the request carries a credential its guard will check (token, cookie or key). */
const carriesCredential = (c: Context<AppEnv>) =>
  c.req.header("Authorization") !== undefined ||
  accessCookie(c) !== undefined ||
  c.req.header("x-api-key") !== undefined ||
  c.req.header("api-key") !== undefined ||
  (c.env.API_KEY_ALLOW_QUERY && c.req.query("api_key") !== undefined);

/**
 * Rate limiting for `/v1/*`, by principal (docs/rate-limits.md):
 * anonymous requests and the credential endpoints in `routeBuckets` count against
 * the client IP (the global bucket and the route's own), up front; a request with a
 * credential is left to its guard (`IpLimit`). Every path makes at most one
 * Durable Object call for limits. Sends `RateLimit-*` headers; a refused request gets
 * 429 `rate_limited` with `Retry-After` and a `rate_limited` security event.
 *
 * @example
 * app.use("/v1/*", rateLimit({ "POST /v1/auth/login": "login" }));
 */
export function rateLimit(routeBuckets: RouteBuckets = {}): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const route = routeBuckets[`${c.req.method} ${c.req.path}`];
    const routeBucket = typeof route === "function" ? await route(c) : route;
    const buckets = bucketsFor(c, routeBucket);
    const { ip } = c.var;
    const { limiter } = c.var.services;
    const policy = buckets.some((bucket) => FAIL_CLOSED.has(bucket.name)) ? "closed" : "open";
    const limit = new IpLimit(
      async () =>
        buckets.length === 0 ? undefined : limiter.call(ipSubject(ip), policy, (object) => object.consume(buckets)),
      (decision) => limiter.refusal(decision.buckets, { route: c.req.path }),
    );
    c.set("ipLimit", limit);
    if (routeBucket !== undefined || !carriesCredential(c)) await limit.apply();

    await next();
    // A credential on a route that never checked it (an unknown path): the IP pays.
    if (!limit.settled) {
      try {
        await limit.apply();
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        c.res = problem(c, error);
      }
    }
    for (const [name, value] of Object.entries(limit.headers())) c.res.headers.set(name, value);
  };
}

function bucketsFor(c: Context<AppEnv>, route: RouteBucket | undefined): BucketRequest[] {
  const periodMs = c.env.RATE_LIMIT_WINDOW_SECONDS * 1000;
  const buckets: BucketRequest[] = [];
  if (c.env.RATE_LIMIT_GLOBAL_PER_MINUTE > 0) {
    buckets.push({ name: "global", limit: c.env.RATE_LIMIT_GLOBAL_PER_MINUTE, periodMs });
  }
  const routeLimit = route ? ROUTE_LIMIT[route](c.env) : 0;
  if (route && routeLimit > 0) buckets.push({ name: route, limit: routeLimit, periodMs });
  return buckets;
}
