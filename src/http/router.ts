import { OpenAPIHono, type z } from "@hono/zod-openapi";
import { validationError } from "../core/errors.ts";
import type { AppEnv } from "./app-env.ts";

export type Router = OpenAPIHono<AppEnv>;

/**
 * An `OpenAPIHono` whose request validation failures become 422 problems with
 * `errors[]`. Every router, the app included, is made here, so its hook sees every
 * validated body, query and path of every route, present and future.
 */
export function createRouter(): Router {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error.issues);
      const nulIssues = nulCharacterIssues(result.data);
      if (nulIssues.length > 0) throw validationError(nulIssues);
    },
  });
}

/**
 * An issue for every string in `value` that holds a NUL (U+0000). Postgres cannot store
 * one in text and fails the whole query, so a NUL that passed validation was a 500;
 * refusing it here, in the one hook, needs no string schema to remember it.
 */
function nulCharacterIssues(value: unknown, path: PropertyKey[] = []): z.core.$ZodIssue[] {
  if (typeof value === "string") {
    return value.includes("\u0000")
      ? [{ code: "custom", path, message: "must not contain NUL (U+0000) characters" }]
      : [];
  }
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) => nulCharacterIssues(item, [...path, key]));
}
