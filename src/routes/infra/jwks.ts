import { createRoute, z } from "@hono/zod-openapi";
import { publicKeys } from "../../credentials/access-tokens.ts";
import { createRouter } from "../../http/router.ts";

const JwksSchema = z
  .object({
    keys: z.array(
      z
        .object({ kid: z.string(), kty: z.string(), alg: z.string(), use: z.literal("sig"), crv: z.string() })
        .catchall(z.string()),
    ),
  })
  .openapi("JWKS");

export const route = createRoute({
  method: "get",
  path: "/.well-known/jwks.json",
  tags: ["Infrastructure"],
  summary: "The public keys access tokens are signed with: the current key first, then previous ones",
  responses: { 200: { description: "JSON Web Key Set", content: { "application/json": { schema: JwksSchema } } } },
});

/** Public and cacheable: resource servers fetch it to verify access tokens themselves. */
export const jwks = createRouter().openapi(route, async (c) => {
  c.header("Cache-Control", "public, max-age=300");
  return c.json({ keys: await publicKeys(c.env) }, 200);
});
