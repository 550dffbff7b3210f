import { z } from "@hono/zod-openapi";
import type { Passkey } from "../../db/schema/index.ts";
import { text, typedText } from "../schemas.ts";

/**
 * Bytes in base64url, as WebAuthn's `toJSON()` writes them. `contentEncoding` tells
 * clients and the fuzz suite; a text that is not canonical base64url passes here and is
 * refused as 400 `invalid_passkey` by the one decoder.
 */
const base64url = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[A-Za-z0-9_-]+$/, "must be base64url")
    .meta({ contentEncoding: "base64url" });

/** A credential id: at most 1,023 bytes (WebAuthn Level 3), so 1,364 base64url characters. */
const CredentialId = base64url(1_364);

export const PasskeyNameSchema = typedText(64).openapi({ example: "Laptop" });

export const PasskeySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    transports: z.array(z.string()).openapi({ description: "How the browser reaches the authenticator" }),
    backup_eligible: z.boolean().openapi({ description: "The passkey may be synced to the user's other devices" }),
    backed_up: z.boolean().openapi({ description: "The passkey is synced now" }),
    created_at: z.iso.datetime(),
    last_used_at: z.iso.datetime().nullable(),
  })
  .openapi("Passkey");

export const toPasskeyBody = (passkey: Passkey) =>
  ({
    id: passkey.id,
    name: passkey.name,
    transports: passkey.transports,
    backup_eligible: passkey.backupEligible,
    backed_up: passkey.backedUp,
    created_at: passkey.createdAt.toISOString(),
    last_used_at: passkey.lastUsedAt?.toISOString() ?? null,
  }) satisfies z.input<typeof PasskeySchema>;

const CredentialDescriptorSchema = z.object({
  type: z.literal("public-key"),
  id: z.string(),
  transports: z.array(z.string()),
});

export const CreationOptionsSchema = z
  .object({
    challenge: z.string(),
    rp: z.object({ id: z.string(), name: z.string() }),
    user: z.object({
      id: z.string().openapi({ description: "The user handle: random, neither the user id nor the email" }),
      name: z.string(),
      displayName: z.string(),
    }),
    pubKeyCredParams: z.array(z.object({ type: z.literal("public-key"), alg: z.number().int() })),
    timeout: z.number().int(),
    attestation: z.literal("none"),
    excludeCredentials: z.array(CredentialDescriptorSchema),
    authenticatorSelection: z.object({
      residentKey: z.literal("required"),
      requireResidentKey: z.boolean(),
      userVerification: z.literal("required"),
    }),
  })
  .openapi("PasskeyCreationOptions", {
    description: "For `PublicKeyCredential.parseCreationOptionsFromJSON` and `navigator.credentials.create`",
  });

export const RequestOptionsSchema = z
  .object({
    challenge: z.string(),
    rpId: z.string(),
    timeout: z.number().int(),
    userVerification: z.literal("required"),
  })
  .openapi("PasskeyRequestOptions", {
    description: "For `PublicKeyCredential.parseRequestOptionsFromJSON` and `navigator.credentials.get`",
  });

export const RegistrationCredentialSchema = z
  .object({
    id: CredentialId,
    type: z.literal("public-key"),
    response: z.object({
      clientDataJSON: base64url(4_096),
      attestationObject: base64url(16_384),
      transports: z.array(text(32)).max(8).optional(),
    }),
  })
  .openapi("PasskeyRegistrationCredential", {
    description: "`PublicKeyCredential.toJSON()` of the credential `navigator.credentials.create` made",
  });

export const AuthenticationCredentialSchema = z
  .object({
    id: CredentialId,
    type: z.literal("public-key"),
    response: z.object({
      clientDataJSON: base64url(4_096),
      authenticatorData: base64url(4_096),
      signature: base64url(1_024),
      userHandle: base64url(128)
        .nullish()
        .transform((handle) => handle ?? undefined),
    }),
  })
  .openapi("PasskeyAuthenticationCredential", {
    description: "`PublicKeyCredential.toJSON()` of the assertion `navigator.credentials.get` made",
  });

export const PasskeyIdParams = z.object({ id: z.uuid() });
