import { userAccess } from "../../http/access.ts";
import { currentUser } from "../../http/guards.ts";
import { createRouter } from "../../http/router.ts";
import { noContent } from "../auth/schemas.ts";
import { defineRoute } from "../define-route.ts";
import { PasskeyIdParams } from "./schemas.ts";

export const route = defineRoute({
  access: userAccess({ apiKey: "forbidden", recentAuthentication: true }),
  feature: "passkeys",
  errors: ["not_found"],
  method: "delete",
  path: "/auth/passkeys/{id}",
  tags: ["Passkeys"],
  summary: "Delete one of your passkeys; it cannot log in from then on",
  request: { params: PasskeyIdParams },
  responses: { 204: noContent },
});

export const passkeyDelete = createRouter().openapi(route, async (c) => {
  const { id } = c.req.valid("param");
  await c.var.services.passkeys.remove({ ...currentUser(c), ip: c.var.ip }, id);
  return c.body(null, 204);
});
