import { z } from "@hono/zod-openapi";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "../../credentials/passwords.ts";
import { type User, userRole } from "../../db/schema/index.ts";
import { text, typedText } from "../schemas.ts";

/** The roles the database knows, so the API and the schema cannot disagree. */
export const RoleSchema = z.enum(userRole.enumValues);

export const UserSchema = z
  .object({
    id: z.uuid(),
    email: z.email(),
    username: z.string().nullable(),
    name: z.string().nullable(),
    role: RoleSchema,
    is_active: z.boolean(),
    is_superuser: z.boolean(),
    email_verified: z.boolean().openapi({ description: "Whether the user opened a verification email's link" }),
    mfa_enabled: z.boolean().openapi({ description: "Whether logins need a second factor (TOTP)" }),
    created_at: z.iso.datetime(),
  })
  .openapi("User");

export const PasswordSchema = text(PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH).openapi({
  format: "password",
  example: "correct horse battery staple",
});

/** Usernames never contain `@`, so a login name is unambiguously an email or a username. */
export const UsernameSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{3,64}$/, "3 to 64 letters, digits, `_`, `.` or `-`")
  .openapi({ example: "ada" });

export const TokenPairSchema = z
  .object({
    access_token: z.string(),
    token_type: z.literal("bearer"),
    expires_in: z.number().int().openapi({ description: "Seconds until the access token expires" }),
    refresh_token: z.string(),
    refresh_expires_in: z.number().int().openapi({ description: "Seconds until the session ends, whatever happens" }),
  })
  .openapi("TokenPair");

/** A password as typed to prove who one is: checked against the hash, so any length up to the limit. */
export const CurrentPasswordSchema = text(PASSWORD_MAX_LENGTH, 1);

const LoginName = text(320, 1);

/** A TOTP code as typed: not blank; text of another shape is a wrong code (401), not a 422. */
export const TotpCodeSchema = typedText(16);

/**
 * `{login, password}`, where `login` is an email or username; `email` or `username`
 * may stand in for `login` (OAuth2 password forms send `username`): one of the three
 * is required, which the document says with `anyOf`.
 */
export const LoginSchema = z
  .object({
    login: LoginName.optional(),
    email: LoginName.optional(),
    username: LoginName.optional(),
    password: CurrentPasswordSchema,
  })
  .refine((body) => (body.login ?? body.email ?? body.username) !== undefined, {
    path: ["login"],
    message: "give `login` (or `email` or `username`)",
  })
  .transform((body) => ({ login: (body.login ?? body.email ?? body.username) as string, password: body.password }))
  .openapi("LoginRequest", {
    anyOf: [{ required: ["login"] }, { required: ["email"] }, { required: ["username"] }],
    example: { login: "ada@example.com", password: "correct horse battery staple" },
  });

export const MfaChallengeSchema = z
  .object({
    mfa_required: z.literal(true),
    mfa_token: z.string().openapi({ description: "For POST /v1/auth/mfa/verify: single use, 5 minutes" }),
  })
  .openapi("MfaChallenge");

export const RefreshBodySchema = z.object({ refresh_token: text(4096).optional() }).openapi("RefreshRequest");

export const noContent = { description: "Done" } as const;

/** A token from an account email (the link's `#token=` or the pasted code); any other text is simply not a token. */
export const AccountTokenSchema = typedText(256).openapi({ example: "q3Zt0vUwYk4hS9r2LmNcXa1B" });

/** An address as typed into a request that emails it: compared as the database compares addresses, so never refused. */
export const TypedAddressSchema = typedText(320).openapi({ example: "ada@example.com" });

/** The answer of a request whose effect is an email, sent or not. */
export const AcceptedSchema = z.object({ detail: z.string() }).openapi("Accepted");

/** The public shape of a user: never the password hash. */
export function toUserBody(user: User) {
  const body = {
    id: user.id,
    email: user.email,
    username: user.username,
    name: user.name,
    role: user.role,
    is_active: user.isActive,
    is_superuser: user.isSuperuser,
    email_verified: user.emailVerifiedAt !== null,
    mfa_enabled: user.totpSecret !== null,
    created_at: user.createdAt.toISOString(),
  } satisfies z.input<typeof UserSchema>;
  return body;
}
