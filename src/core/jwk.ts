import { z } from "@hono/zod-openapi";

const base64url = z.string().regex(/^[A-Za-z0-9_-]+$/);
const kid = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/);

/** The two key types Gatehouse signs with: Ed25519 (alg EdDSA) and P-256 (alg ES256). */
const ed25519 = z.object({ kty: z.literal("OKP"), crv: z.literal("Ed25519"), x: base64url, kid });
const p256 = z.object({ kty: z.literal("EC"), crv: z.literal("P-256"), x: base64url, y: base64url, kid });

export const PublicJwkSchema = z.discriminatedUnion("kty", [ed25519, p256]);
export const PrivateJwkSchema = z.discriminatedUnion("kty", [
  ed25519.extend({ d: base64url }),
  p256.extend({ d: base64url }),
]);

export type PublicJwk = z.output<typeof PublicJwkSchema>;
export type PrivateJwk = z.output<typeof PrivateJwkSchema>;
export type SigningAlgorithm = "EdDSA" | "ES256";

export const algorithmOf = (jwk: PublicJwk): SigningAlgorithm => (jwk.kty === "OKP" ? "EdDSA" : "ES256");

/** The public half of a private JWK: every private parameter dropped. */
export function publicPart(jwk: PrivateJwk): PublicJwk {
  const { d: _private, ...rest } = jwk;
  return rest;
}
