import { z } from "@hono/zod-openapi";
import { PUBLIC } from "../../http/access.ts";
import { createRouter } from "../../http/router.ts";
import { defineRoute } from "../define-route.ts";
import { RequestOptionsSchema } from "./schemas.ts";

/** Empty: the options name no account (a `login` older clients send is ignored, as every unknown field is). */
const LoginOptionsSchema = z.object({}).openapi("PasskeyLoginOptionsRequest");

export const route = defineRoute({
  access: PUBLIC,
  feature: "passkeys",
  errors: ["rate_limiter_unavailable"],
  method: "post",
  path: "/auth/passkeys/login/options",
  tags: ["Passkeys"],
  summary: "Start a passkey login: request options with a single-use challenge (5 minutes)",
  description:
    "The same for every caller: no `allowCredentials`, so the browser offers the passkeys it holds for this RP ID " +
    "(every passkey is discoverable) and the answer tells nothing about any account.",
  request: { body: { required: true, content: { "application/json": { schema: LoginOptionsSchema } } } },
  responses: {
    200: { description: "Request options", content: { "application/json": { schema: RequestOptionsSchema } } },
  },
});

export const passkeyLoginOptions = createRouter().openapi(route, async (c) => {
  return c.json(await c.var.services.passkeys.loginOptions(), 200);
});
