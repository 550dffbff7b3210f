import { createRoute, type RouteConfig } from "@hono/zod-openapi";
import { type ErrorCode, problemResponses } from "../core/errors.ts";
import type { Access } from "../http/access.ts";

/** What every request with a body can be refused for before its handler runs. */
const BODY_ERRORS = [
  "validation_failed",
  "malformed_request",
  "unsupported_media_type",
  "payload_too_large",
] as const satisfies ErrorCode[];

type RouteSpec = Omit<RouteConfig, "path" | "security" | "middleware"> & {
  /** Who may call it: guards, OpenAPI security and their errors (src/http/access.ts). */
  access: Access;
  /** The problems the handler itself answers with. */
  errors?: readonly ErrorCode[];
  /** Whether the route reaches the database (default true), and so can answer 503 `database_unavailable`. */
  database?: boolean;
};

/**
 * A `/v1` route whose access is declared once and whose OpenAPI document lists every
 * problem it can answer with: its access's, its own, those of request validation, the
 * per-IP rate limit's and, when it reaches the database, `database_unavailable`.
 * The fuzz suite holds each operation to that list.
 *
 * @example
 * export const route = defineRoute({
 *   access: anyAccess({ scope: "notes:read" }),
 *   errors: ["not_found"],
 *   method: "get",
 *   path: "/notes/{id}",
 *   request: { params: IdParams },
 *   responses: { 200: { description: "The note", content: { "application/json": { schema: NoteSchema } } } },
 * });
 */
export function defineRoute<P extends string, R extends RouteSpec & { path: P }>(spec: R) {
  const { access, errors = [], database = true, ...config } = spec;
  const request = config.request;
  const codes = new Set<ErrorCode>([
    ...access.errors,
    ...errors,
    ...(request?.body ? BODY_ERRORS : request?.query || request?.params ? (["validation_failed"] as const) : []),
    "rate_limited",
    ...(database ? (["database_unavailable"] as const) : []),
  ]);
  const route = createRoute({
    ...(config as Omit<R, "access" | "errors" | "database">),
    ...(access.security.length > 0 ? { security: access.security } : {}),
    middleware: access.guards,
    responses: { ...config.responses, ...problemResponses(...codes) },
  });
  // Handlers are typed by their own responses; problems reach the client through onError.
  return route as unknown as Omit<R, "access" | "errors" | "database"> & {
    getRoutingPath(): ReturnType<typeof route.getRoutingPath>;
  };
}
