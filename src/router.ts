import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "./env.ts";
import { validationError } from "./errors.ts";

export type Router = OpenAPIHono<AppEnv>;

/**
 * An `OpenAPIHono` whose request validation failures become 422 problems with
 * `errors[]`. Every router, the app included, is made here.
 */
export function createRouter(): Router {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error.issues);
    },
  });
}
