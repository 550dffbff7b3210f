import { z } from "@hono/zod-openapi";
import { type Access, anyAccess, keyAccess, userAccess } from "../../http/access.ts";
import { createRouter, type Router } from "../../http/router.ts";
import { defineRoute } from "../../routes/define-route.ts";

const WhoAmISchema = z
  .object({
    auth: z.enum(["user", "api_key"]),
    user_id: z.uuid().nullable(),
    key_id: z.uuid().optional(),
  })
  .openapi("WhoAmI");

/** One demo route: who the guard let through. An access token alone reaches no database. */
function demoRoute(path: string, summary: string, access: Access) {
  const route = defineRoute({
    access,
    database: access.security.some((scheme) => "apiKey" in scheme),
    method: "get",
    path: `/protected/${path}`,
    tags: ["Demo"],
    summary,
    responses: {
      200: { description: "Who the request acts for", content: { "application/json": { schema: WhoAmISchema } } },
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
  demoRoute("user", "Access tokens only", userAccess()),
  demoRoute("service", "API keys only", keyAccess()),
  demoRoute("any", "An access token or an API key", anyAccess()),
];
