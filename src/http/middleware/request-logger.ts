import type { MiddlewareHandler } from "hono";
import { createLogger, isLogLevel } from "../../core/logger.ts";
import type { AppEnv } from "../app-env.ts";

/**
 * Puts a request-scoped logger and the client IP on the context, and writes one JSON
 * line per request: request id, method, route pattern, path (never the query string,
 * which may carry an API key), status, duration and client IP. It is the first
 * middleware after the request id, so everything after it reads `c.var.ip`.
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
    c.set("ip", c.req.header("CF-Connecting-IP"));
    await next();
    logger.info("request", {
      method: c.req.method,
      route: c.req.routePath,
      path: c.req.path,
      status: c.res.status,
      duration_ms: Math.round((performance.now() - started) * 100) / 100,
      ip: c.var.ip ?? null,
    });
  };
}
