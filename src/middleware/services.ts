import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env.ts";
import { createServices } from "../services/index.ts";

/** Builds the request's services once, after the environment is validated. */
export const services = (): MiddlewareHandler<AppEnv> => async (c, next) => {
  c.set("services", createServices(c.env));
  await next();
};
