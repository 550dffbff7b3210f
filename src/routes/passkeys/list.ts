import { z } from "@hono/zod-openapi";
import { userAccess } from "../../http/access.ts";
import { currentUser } from "../../http/guards.ts";
import { createRouter } from "../../http/router.ts";
import { MAX_PASSKEYS_PER_USER } from "../../services/passkeys.ts";
import { defineRoute } from "../define-route.ts";
import { PasskeySchema, toPasskeyBody } from "./schemas.ts";

export const route = defineRoute({
  access: userAccess({ apiKey: "forbidden" }),
  feature: "passkeys",
  method: "get",
  path: "/auth/passkeys",
  tags: ["Passkeys"],
  summary: `Your passkeys, oldest first (at most ${MAX_PASSKEYS_PER_USER}, so never paged)`,
  responses: {
    200: { description: "Passkeys", content: { "application/json": { schema: z.array(PasskeySchema) } } },
  },
});

export const passkeyList = createRouter().openapi(route, async (c) => {
  const passkeys = await c.var.services.passkeys.list(currentUser(c).userId);
  return c.json(passkeys.map(toPasskeyBody), 200);
});
