import { z } from "@hono/zod-openapi";
import { hashPassword } from "../../credentials/argon2id-wasm.ts";
import { newAccountToken } from "../../email/tokens.ts";
import { PUBLIC } from "../../http/access.ts";
import { createRouter } from "../../http/router.ts";

import { defineRoute } from "../define-route.ts";
import { typedText } from "../schemas.ts";
import { PasswordSchema, toUserBody, UsernameSchema, UserSchema } from "./schemas.ts";

/** Privilege fields (`role`, `is_superuser`, `is_active`) are not in the schema, so they are dropped. */
const RegisterSchema = z
  .object({
    // zod's address rule is narrower than the `email` format, so the document states it.
    email: z.email().max(320).openapi({ pattern: z.regexes.email.source }),
    password: PasswordSchema,
    username: UsernameSchema.optional(),
    name: typedText(100).optional(),
  })
  .openapi("RegisterRequest");

export const route = defineRoute({
  access: PUBLIC,
  errors: ["user_exists"],
  method: "post",
  path: "/auth/register",
  tags: ["Accounts and sessions"],
  summary: "Create an account; a verification email goes to its address",
  request: { body: { required: true, content: { "application/json": { schema: RegisterSchema } } } },
  responses: {
    201: { description: "The new user", content: { "application/json": { schema: UserSchema } } },
  },
});

export const register = createRouter().openapi(route, async (c) => {
  const body = c.req.valid("json");
  const verification = c.env.ACCOUNT_EMAILS ? await newAccountToken() : undefined;
  const user = await c.var.services.users.register(
    { ...body, passwordHash: await hashPassword(body.password) },
    verification?.hash,
  );
  if (verification) c.var.services.accountEmails.emailVerification(user, verification.token);
  c.var.services.analytics.identify(user.id, { role: user.role, created_at: user.createdAt.toISOString() });
  c.var.services.analytics.track("user_registered", {}, user.id);
  return c.json(toUserBody(user), 201);
});
