import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { methodNotAllowed } from "hono/method-not-allowed";
import { requestId } from "hono/request-id";
import pkg from "../package.json" with { type: "json" };
import { ApiError } from "./core/errors.ts";
import { exampleRouters } from "./examples/index.ts";
import type { AppEnv } from "./http/app-env.ts";
import { validatedEnvironment } from "./http/middleware/environment.ts";
import { onError, problem } from "./http/middleware/on-error.ts";
import { type RouteBuckets, rateLimit } from "./http/middleware/rate-limit.ts";
import { requestLogger } from "./http/middleware/request-logger.ts";
import { corsPolicy, noStoreByDefault, securityHeaders } from "./http/middleware/response-headers.ts";
import { services } from "./http/middleware/services.ts";
import { createRouter, type Router } from "./http/router.ts";
import { infrastructureRouters, ROUTE_BUCKETS, v1Routers } from "./routes/index.ts";

const MAX_BODY_BYTES = 1024 * 1024;

/** What HIDE_AUTH_DOCS leaves out of /openapi.json: the identity machinery, not your resources. */
const HIDDEN_AUTH_PATHS = /^\/v1\/(auth|keys|admin)(\/|$)/;

/**
 * The middleware every request runs, in the order of docs/architecture.md, "The request
 * path", each named so the benchmark can measure what each one costs (bench/worker.ts).
 */
export function middlewareStack(app: Router): [name: string, middleware: MiddlewareHandler<AppEnv>][] {
  return [
    ["request id", requestId({ headerName: "X-Request-ID" })],
    ["logger", requestLogger()],
    ["security headers", securityHeaders()],
    ["environment", validatedEnvironment()],
    ["cors", corsPolicy()],
    ["no-store", noStoreByDefault()],
    [
      "body limit",
      bodyLimit({
        maxSize: MAX_BODY_BYTES,
        onError: () => {
          throw new ApiError("payload_too_large", "The request body is larger than 1 MiB.");
        },
      }),
    ],
    ["services", services()],
    [
      "405",
      methodNotAllowed({
        app,
        onMethodNotAllowed: (_c, methods) => {
          throw new ApiError("method_not_allowed", `Use ${methods.join(", ")}.`, {
            headers: { Allow: methods.join(", ") },
          });
        },
      }),
    ],
  ];
}

/**
 * The Gatehouse app: middleware in the order of docs/architecture.md, "The request path",
 * the infrastructure routes, every router of `routers` under `/v1`, and `/openapi.json`.
 *
 * @example
 * export default { fetch: createApp().fetch };
 */
export function createApp(
  routers: Router[] = [...v1Routers, ...exampleRouters],
  routeBuckets: RouteBuckets = ROUTE_BUCKETS,
): Router {
  const app = createRouter();
  for (const [, middleware] of middlewareStack(app)) app.use(middleware);

  app.use("/v1/*", rateLimit(routeBuckets));

  for (const router of infrastructureRouters) app.route("/", router);
  for (const router of routers) app.route("/v1", router);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "An access token from /v1/auth/login, /v1/auth/token or /v1/auth/refresh.",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "oauth2", {
    type: "oauth2",
    description: "Swagger UI's Authorize: log in with email or username and password.",
    flows: { password: { tokenUrl: "/v1/auth/token", refreshUrl: "/v1/auth/token", scopes: {} } },
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "apiKey", {
    type: "apiKey",
    in: "header",
    name: "x-api-key",
    description: "An API key from /v1/keys (`api-key` works too).",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "adminSecret", {
    type: "apiKey",
    in: "header",
    name: "X-Admin-Secret",
    description: "ADMIN_SECRET, for automation on /v1/admin routes.",
  });

  // Built on the first request (every route is registered by then), once per isolate: it
  // takes ~80 ms. Each request only adds its own origin and, with HIDE_AUTH_DOCS, filters.
  let document: ReturnType<typeof app.getOpenAPI31Document> | undefined;
  app.get("/openapi.json", (c) => {
    document ??= app.getOpenAPI31Document({
      openapi: "3.1.0",
      info: {
        title: "Gatehouse",
        version: pkg.version,
        description: "Users, sessions, API keys, roles and rate limits for your API, on the edge.",
      },
    });
    const paths = c.env.HIDE_AUTH_DOCS
      ? Object.fromEntries(Object.entries(document.paths ?? {}).filter(([path]) => !HIDDEN_AUTH_PATHS.test(path)))
      : document.paths;
    return c.json({ ...document, servers: [{ url: new URL(c.req.url).origin }], paths });
  });
  app.notFound((c) => problem(c, new ApiError("not_found", "No route matches this path.")));
  app.onError(onError);
  return app;
}
