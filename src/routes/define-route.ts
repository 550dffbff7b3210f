import { createRoute, type RouteConfig } from "@hono/zod-openapi";
import { type ErrorCode, problemResponses } from "../core/errors.ts";
import type { Access } from "../http/access.ts";
import { type Feature, featureGate } from "../http/features.ts";

/** What every request with a body can be refused for before its handler runs. */
const BODY_ERRORS = [
  "validation_failed",
  "malformed_request",
  "unsupported_media_type",
  "payload_too_large",
] as const satisfies ErrorCode[];

/** What `defineRoute` takes on top of a `RouteConfig`, and turns into one. */
type RouteOptions = "access" | "errors" | "database" | "feature";

type RouteSpec = Omit<RouteConfig, "path" | "security" | "middleware"> & {
  /** Who may call it: guards, OpenAPI security and their errors (src/http/access.ts). */
  access: Access;
  /** The problems the handler itself answers with. */
  errors?: readonly ErrorCode[];
  /** Whether the route reaches the database (default true), and so can answer 503 `database_unavailable`. */
  database?: boolean;
  /**
   * The deployment switch the route exists under (src/http/features.ts): while it is off,
   * 404 `not_found`. Checked after the access guards, so only a caller the route would
   * serve learns that it is off, and before the request is validated, so any body gets 404.
   */
  feature?: Feature;
};

/**
 * A `/v1` route whose access is declared once and whose OpenAPI document lists every
 * problem it can answer with: its access's, its own, its feature gate's, those of request
 * validation, the per-IP rate limit's and, when it reaches the database, `database_unavailable`.
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
  const { access, errors = [], database = true, feature, ...config } = spec;
  const request = config.request;
  const codes = new Set<ErrorCode>([
    ...access.errors,
    ...errors,
    ...(feature ? (["not_found"] as const) : []),
    ...(request?.body ? BODY_ERRORS : request?.query || request?.params ? (["validation_failed"] as const) : []),
    "rate_limited",
    ...(database ? (["database_unavailable"] as const) : []),
  ]);
  const route = createRoute({
    ...(config as Omit<R, RouteOptions>),
    ...(access.security.length > 0 ? { security: access.security } : {}),
    middleware: feature ? [...access.guards, featureGate(feature)] : access.guards,
    responses: { ...config.responses, ...problemResponses(...codes) },
  });
  // Handlers are typed by their own responses; problems reach the client through onError.
  return route as unknown as Omit<R, RouteOptions> & {
    getRoutingPath(): ReturnType<typeof route.getRoutingPath>;
  };
}
