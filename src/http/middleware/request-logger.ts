import type { MiddlewareHandler } from "hono";
import { createLogger, isLogLevel } from "../../core/logger.ts";
import type { AppEnv } from "../app-env.ts";

/**
 * Puts a request-scoped logger on the context and writes one JSON line per request:
 * request id, method, route pattern, path (never the query string, which may carry
 * an API key), status, duration and client IP.
 *
 * @example
 * app.use(requestId(), requestLogger());
 */
export function requestLogger(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    const logger = createLogger(isLogLevel(c.env.LOG_LEVEL) ? c.env.LOG_LEVEL : "info", {
      request_id: c.get("requestId"),
    });
    c.set("logger", logger);
    await next();
    logger.info("request", {
      method: c.req.method,
      route: c.req.routePath,
      path: c.req.path,
      status: c.res.status,
      duration_ms: Math.round((performance.now() - started) * 100) / 100,
      ip: c.req.header("CF-Connecting-IP") ?? null,
    });
  };
}
