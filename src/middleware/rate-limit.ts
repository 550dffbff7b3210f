import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv, Bindings } from "../env.ts";
import { rateLimiterClient, rateLimitHeaders } from "../rate-limit/client.ts";
import { clientSubject } from "../rate-limit/client-ip.ts";
import type { BucketRequest } from "../rate-limit/limiter.ts";

/** Routes with a limit of their own, on top of the global one. */
export type RouteBucket = "login" | "register" | "refresh";

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
};

/**
 * If the limiter cannot be reached, credential-guessing surfaces (login, register)
 * fail closed with a 503; everything else fails open, so an outage of the limiter
 * does not take the API down. Both are logged.
 */
const FAIL_CLOSED: ReadonlySet<string> = new Set<RouteBucket>(["login", "register"]);

/**
 * Per-IP rate limiting for `/v1/*`: the global bucket and, for the routes named in
 * `routeBuckets`, that route's bucket, checked and counted in one Durable Object
 * call. Sends `RateLimit-*` headers; a refused request gets 429 `rate_limited` with
 * `Retry-After` and a `rate_limited` security event in the log.
 *
 * @example
 * app.use("/v1/*", rateLimit({ "POST /v1/auth/login": "login" }));
 */
export function rateLimit(routeBuckets: RouteBuckets = {}): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const route = routeBuckets[`${c.req.method} ${c.req.path}`];
    const buckets = bucketsFor(c, typeof route === "function" ? await route(c) : route);
    if (buckets.length === 0) return next();

    const ip = c.req.header("CF-Connecting-IP");
    const policy = buckets.some((bucket) => FAIL_CLOSED.has(bucket.name)) ? "closed" : "open";
    const limiter = rateLimiterClient(c.env, c.var.logger);
    const decision = await limiter.call(clientSubject(ip), policy, (object) => object.consume(buckets));
    if (decision && !decision.allowed) throw limiter.refusal(decision.buckets, { ip: ip ?? null, route: c.req.path });

    await next();
    if (decision)
      for (const [name, value] of Object.entries(rateLimitHeaders(decision))) c.res.headers.set(name, value);
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
