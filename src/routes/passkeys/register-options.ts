import { userAccess } from "../../http/access.ts";
import { requireVerifiedEmail } from "../../http/email-verification.ts";
import { currentUser } from "../../http/guards.ts";
import { createRouter } from "../../http/router.ts";
import { defineRoute } from "../define-route.ts";
import { CreationOptionsSchema } from "./schemas.ts";

export const route = defineRoute({
  access: userAccess({ apiKey: "forbidden", recentAuthentication: true }),
  feature: "passkeys",
  errors: ["conflict", "email_not_verified"],
  method: "post",
  path: "/auth/passkeys/register/options",
  tags: ["Passkeys"],
  summary: "Start adding a passkey: creation options with a single-use challenge (5 minutes)",
  responses: {
    200: { description: "Creation options", content: { "application/json": { schema: CreationOptionsSchema } } },
  },
});

export const passkeyRegisterOptions = createRouter().openapi(route, async (c) => {
  await requireVerifiedEmail(c);
  return c.json(await c.var.services.passkeys.registrationOptions(currentUser(c).userId), 200);
});
