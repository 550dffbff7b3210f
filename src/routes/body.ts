import type { Context } from "hono";
import { ApiError } from "../core/errors.ts";

/**
 * Which body a route that takes JSON or a form was sent. Both alternatives are
 * declared optional (so each is validated only for its own content type), which
 * makes an absent body a 422 here.
 *
 * @example
 * const body = bodyKind(c) === "form" ? c.req.valid("form") : c.req.valid("json");
 */
export function bodyKind(c: Context): "json" | "form" {
  const type = c.req.header("Content-Type");
  if (!type) {
    throw new ApiError("validation_failed", "A JSON or form body is required.", {
      errors: [{ path: "", message: "a JSON or form-encoded body is required" }],
    });
  }
  return /^application\/x-www-form-urlencoded\b/i.test(type) ? "form" : "json";
}
