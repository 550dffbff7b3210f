import { z } from "@hono/zod-openapi";
import { userAccess } from "../../http/access.ts";
import { requireVerifiedEmail } from "../../http/email-verification.ts";
import { currentUser } from "../../http/guards.ts";
import { createRouter } from "../../http/router.ts";
import { defineRoute } from "../define-route.ts";
import { PasskeyNameSchema, PasskeySchema, RegistrationCredentialSchema, toPasskeyBody } from "./schemas.ts";

const RegisterSchema = z
  .object({ response: RegistrationCredentialSchema, name: PasskeyNameSchema.optional() })
  .openapi("PasskeyRegisterRequest");

export const route = defineRoute({
  access: userAccess({ apiKey: "forbidden", recentAuthentication: true }),
  feature: "passkeys",
  errors: ["invalid_passkey", "conflict", "email_not_verified"],
  method: "post",
  path: "/auth/passkeys/register",
  tags: ["Passkeys"],
  summary: "Add the passkey the browser made from the creation options",
  description:
    "The challenge is used up; the origin (RP_ORIGINS), the RP ID and user verification are checked. " +
    "A credential belongs to one account: registering it again is 409.",
  request: { body: { required: true, content: { "application/json": { schema: RegisterSchema } } } },
  responses: {
    201: { description: "The new passkey", content: { "application/json": { schema: PasskeySchema } } },
  },
});

export const passkeyRegister = createRouter().openapi(route, async (c) => {
  await requireVerifiedEmail(c);
  const { response, name } = c.req.valid("json");
  const passkey = await c.var.services.passkeys.register(currentUser(c).userId, {
    response: response.response,
    name,
  });
  return c.json(toPasskeyBody(passkey), 201);
});
