import { z } from "@hono/zod-openapi";
import { PUBLIC } from "../../auth/access.ts";
import { createRouter } from "../../router.ts";
import { defineRoute } from "../define-route.ts";
import { requirePasskeys } from "./enabled.ts";
import { RequestOptionsSchema } from "./schemas.ts";

const LoginOptionsSchema = z
  .object({
    login: z.string().min(1).max(320).optional().openapi({
      description: "An email or username, to list that account's passkeys; without it the browser offers all it has",
    }),
  })
  .openapi("PasskeyLoginOptionsRequest");

export const route = defineRoute({
  access: PUBLIC,
  errors: ["not_found", "rate_limiter_unavailable"],
  method: "post",
  path: "/auth/passkeys/login/options",
  tags: ["Passkeys"],
  summary: "Start a passkey login: request options with a single-use challenge (5 minutes)",
  request: { body: { required: true, content: { "application/json": { schema: LoginOptionsSchema } } } },
  responses: {
    200: { description: "Request options", content: { "application/json": { schema: RequestOptionsSchema } } },
  },
});

export const passkeyLoginOptions = createRouter().openapi(route, async (c) => {
  requirePasskeys(c);
  return c.json(await c.var.services.passkeys.loginOptions(c.req.valid("json").login), 200);
});
