import type { MiddlewareHandler } from "hono";
import { createServices } from "../../services/index.ts";
import type { AppEnv } from "../app-env.ts";

/** Builds the request's services once, after the environment is validated. */
export const services = (): MiddlewareHandler<AppEnv> => async (c, next) => {
  const issuer = () => c.env.JWT_ISSUER ?? new URL(c.req.url).origin;
  c.set(
    "services",
    createServices({
      env: c.env,
      issuer,
      logger: c.var.logger,
      waitUntil: (promise) => c.executionCtx.waitUntil(promise),
      client: {
        ip: c.var.ip,
        userAgent: c.req.header("User-Agent"),
        requestId: c.var.requestId,
      },
      principal: () => c.var.auth,
    }),
  );
  await next();
};
