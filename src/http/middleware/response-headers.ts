import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "../app-env.ts";

/**
 * The security headers every response carries (docs/api.md, "Every response"), plus
 * `Cross-Origin-Resource-Policy: same-origin`, so no other site can pull a response
 * into its page by a no-cors request. Headers that only mean something for an HTML
 * document are left to `documentHeaders`: each header is a native call in workerd
 * (about 2.5 µs), and twelve of them cost /health a fifth of its throughput.
 */
export const securityHeaders = (): MiddlewareHandler<AppEnv> =>
  secureHeaders({
    xFrameOptions: "DENY",
    strictTransportSecurity: "max-age=63072000; includeSubDomains",
    referrerPolicy: "strict-origin-when-cross-origin",
    xPermittedCrossDomainPolicies: "none",
    permissionsPolicy: { camera: [], microphone: [], geolocation: [] },
    ...DOCUMENT_ONLY_OFF,
  });

const DOCUMENT_ONLY_OFF = {
  crossOriginOpenerPolicy: false,
  originAgentCluster: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xXssProtection: false,
} as const;

/**
 * The headers for the pages that are HTML documents (`/docs`): window isolation,
 * origin-keyed agent clusters, no DNS prefetch, no legacy XSS filter or IE download
 * prompt, on top of `securityHeaders`.
 *
 * @example
 * docs.use("/docs/*", documentHeaders());
 */
export const documentHeaders = (): MiddlewareHandler<AppEnv> =>
  secureHeaders({
    crossOriginOpenerPolicy: true,
    originAgentCluster: true,
    xDnsPrefetchControl: true,
    xDownloadOptions: true,
    xXssProtection: true,
    // Already set by `securityHeaders`, which every response runs.
    crossOriginResourcePolicy: false,
    referrerPolicy: false,
    strictTransportSecurity: false,
    xContentTypeOptions: false,
    xFrameOptions: false,
    xPermittedCrossDomainPolicies: false,
    removePoweredBy: false,
  });

/**
 * CORS for the configured origins only, with credentials, never a wildcard. A request
 * without `Origin` is not a cross-origin browser request, so it skips the middleware,
 * which would otherwise build an empty response just to set headers nobody reads
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
