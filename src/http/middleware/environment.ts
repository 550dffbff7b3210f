import type { MiddlewareHandler } from "hono";
import { loadEnv } from "../../core/env.ts";
import { ApiError } from "../../core/errors.ts";
import type { AppEnv } from "../app-env.ts";

/**
 * Replaces `c.env` with the validated configuration, or fails the request closed with
 * 500 `bad_environment` and a log line naming each bad setting (never its value).
 */
export function validatedEnvironment(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const result = loadEnv(c.env as unknown as Record<string, unknown>);
    if (!result.ok) {
      c.get("logger").error("bad_environment", { problems: result.problems });
      throw new ApiError("bad_environment", "The service is not configured correctly.");
    }
    c.env = result.env;
    await next();
  };
}
