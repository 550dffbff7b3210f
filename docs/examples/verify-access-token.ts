import { createRemoteJWKSet, jwtVerify } from "jose";

/**
 * Checks Gatehouse access tokens in another service, offline: the signature against the
 * keys Gatehouse publishes (which jose fetches and keeps), the issuer, the audience, the
 * token type and the expiry. It cannot see a logout (docs/api.md, "Using Gatehouse
 * from another service").
 *
 * @param issuer Gatehouse's JWT_ISSUER (its public URL), e.g. "https://auth.example.com"
 * @param audience Gatehouse's JWT_AUDIENCE
 */
export function gatehouseTokenVerifier(issuer: string, audience = "gatehouse") {
  const keys = createRemoteJWKSet(new URL("/.well-known/jwks.json", issuer));
  return async (token: string) => {
    const { payload } = await jwtVerify<{ sub: string; sid: string }>(token, keys, {
      issuer,
      audience,
      typ: "at+jwt",
      algorithms: ["EdDSA", "ES256"],
      requiredClaims: ["sub", "sid"],
    });
    return { userId: payload.sub, sessionId: payload.sid };
  };
}
