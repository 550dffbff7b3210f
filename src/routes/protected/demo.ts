import { createRoute, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import {
  ANY_SECURITY,
  KEY_SECURITY,
  requireAny,
  requireApiKey,
  requireUser,
  USER_SECURITY,
} from "../../auth/guards.ts";
import type { AppEnv } from "../../env.ts";
import { problemResponses } from "../../errors.ts";
import { createRouter, type Router } from "../../router.ts";

const WhoAmISchema = z
  .object({
    auth: z.enum(["user", "api_key"]),
    user_id: z.uuid().nullable(),
    key_id: z.uuid().optional(),
  })
  .openapi("WhoAmI");

/** One demo route: who the guard let through. */
function demoRoute(
  path: string,
  summary: string,
  security: Record<string, string[]>[],
  guard: MiddlewareHandler<AppEnv>,
) {
  const route = createRoute({
    method: "get",
    path: `/protected/${path}`,
    tags: ["Demo"],
    summary,
    security,
    middleware: [guard] as const,
    responses: {
      200: { description: "Who the request acts for", content: { "application/json": { schema: WhoAmISchema } } },
      ...problemResponses("unauthorized", "invalid_api_key", "api_key_expired", "api_key_revoked", "rate_limited"),
    },
  });
  return createRouter().openapi(route, (c) => {
    const auth = c.var.auth;
    if (auth.kind === "api_key")
      return c.json({ auth: "api_key" as const, user_id: auth.userId, key_id: auth.keyId }, 200);
    return c.json({ auth: "user" as const, user_id: auth.kind === "user" ? auth.userId : null }, 200);
  });
}

/** `/v1/protected/*`: the three guards, for trying credentials out. */
export const protectedRouters: Router[] = [
  demoRoute("user", "Access tokens only", USER_SECURITY, requireUser()),
  demoRoute("service", "API keys only", KEY_SECURITY, requireApiKey()),
  demoRoute("any", "An access token or an API key", ANY_SECURITY, requireAny()),
];
