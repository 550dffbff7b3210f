import { z } from "@hono/zod-openapi";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "../../credentials/passwords.ts";
import { type User, userRole } from "../../db/schema/index.ts";

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

export const PasswordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `must be at most ${PASSWORD_MAX_LENGTH} characters`)
  .openapi({ format: "password", example: "correct horse battery staple" });

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

/**
 * `{login, password}`, where `login` is an email or username; `email` or `username`
 * may stand in for `login` (OAuth2 password forms send `username`).
 */
export const LoginSchema = z
  .object({
    login: z.string().min(1).max(320).optional(),
    email: z.string().min(1).max(320).optional(),
    username: z.string().min(1).max(320).optional(),
    password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
  })
  .refine((body) => (body.login ?? body.email ?? body.username) !== undefined, {
    path: ["login"],
    message: "give `login` (or `email` or `username`)",
  })
  .transform((body) => ({ login: (body.login ?? body.email ?? body.username) as string, password: body.password }))
  .openapi("LoginRequest", { example: { login: "ada@example.com", password: "correct horse battery staple" } });

export const MfaChallengeSchema = z
  .object({
    mfa_required: z.literal(true),
    mfa_token: z.string().openapi({ description: "For POST /v1/auth/mfa/verify: single use, 5 minutes" }),
  })
  .openapi("MfaChallenge");

export const RefreshBodySchema = z.object({ refresh_token: z.string().max(4096).optional() }).openapi("RefreshRequest");

export const noContent = { description: "Done" } as const;

/** A token from an account email (the link's `#token=` or the pasted code); any other text is simply not a token. */
export const AccountTokenSchema = z.string().trim().min(1).max(256).openapi({ example: "q3Zt0vUwYk4hS9r2LmNcXa1B" });

/** An address as typed into a request that emails it: compared as the database compares addresses, so never refused. */
export const TypedAddressSchema = z.string().trim().min(1).max(320).openapi({ example: "ada@example.com" });

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
