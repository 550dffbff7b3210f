import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "../app-env.ts";

/** The security headers every response carries (DESIGN.md, "Every response"). */
export const securityHeaders = (): MiddlewareHandler<AppEnv> =>
  secureHeaders({
    xFrameOptions: "DENY",
    strictTransportSecurity: "max-age=63072000; includeSubDomains",
    referrerPolicy: "strict-origin-when-cross-origin",
    xPermittedCrossDomainPolicies: "none",
    permissionsPolicy: { camera: [], microphone: [], geolocation: [] },
  });

/**
 * CORS for the configured origins only, with credentials, never a wildcard. A request
 * without `Origin` is not a cross-origin browser request, so it skips the middleware,
 * which would otherwise build a placeholder response to set headers nobody reads
 * (responses are `no-store`, so no cache needs `Vary: Origin` either).
 */
export const corsPolicy = (): MiddlewareHandler<AppEnv> => {
  const policy = cors({
    origin: (origin, c) => (c.env.CORS_ORIGINS.includes(origin) ? origin : null),
    credentials: true,
    allowMethods: ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
    allowHeaders: ["Authorization", "Content-Type", "X-API-Key", "API-Key", "X-Request-ID"],
    exposeHeaders: ["X-Request-ID", "Retry-After", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"],
    maxAge: 600,
  });
  return (c, next) => (c.req.header("Origin") === undefined ? next() : policy(c, next));
};

/**
 * `Cache-Control: no-store` unless the route set its own: responses carry account
 * data and tokens by default, and no shared cache may keep them.
 */
export const noStoreByDefault = (): MiddlewareHandler<AppEnv> => async (c, next) => {
  await next();
  if (!c.res.headers.has("Cache-Control")) c.res.headers.set("Cache-Control", "no-store");
};
