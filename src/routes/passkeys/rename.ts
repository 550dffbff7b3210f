import { z } from "@hono/zod-openapi";
import { userAccess } from "../../http/access.ts";
import { currentUser } from "../../http/guards.ts";
import { createRouter } from "../../http/router.ts";
import { defineRoute } from "../define-route.ts";
import { PasskeyIdParams, PasskeyNameSchema, PasskeySchema, toPasskeyBody } from "./schemas.ts";

const RenameSchema = z.object({ name: PasskeyNameSchema }).openapi("PasskeyRenameRequest");

export const route = defineRoute({
  access: userAccess({ apiKey: "forbidden" }),
  feature: "passkeys",
  errors: ["not_found"],
  method: "patch",
  path: "/auth/passkeys/{id}",
  tags: ["Passkeys"],
  summary: "Rename one of your passkeys",
  request: {
    params: PasskeyIdParams,
    body: { required: true, content: { "application/json": { schema: RenameSchema } } },
  },
  responses: {
    200: { description: "The passkey", content: { "application/json": { schema: PasskeySchema } } },
  },
});

export const passkeyRename = createRouter().openapi(route, async (c) => {
  const { id } = c.req.valid("param");
  const passkey = await c.var.services.passkeys.rename(currentUser(c).userId, id, c.req.valid("json").name);
  return c.json(toPasskeyBody(passkey), 200);
});
