import { type CryptoKey, importJWK, type JWTPayload, jwtVerify, SignJWT } from "jose";
import type { Bindings } from "../core/env.ts";
import { algorithmOf, type PublicJwk, publicPart, type SigningAlgorithm } from "../core/jwk.ts";

/** The `typ` header of every access token (RFC 9068), so no other JWT passes for one. */
const ACCESS_TOKEN_TYPE = "at+jwt";
const ALLOWED_ALGORITHMS: SigningAlgorithm[] = ["EdDSA", "ES256"];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface AccessClaims {
  userId: string;
  sessionId: string;
}

interface KeyRing {
  signing: { kid: string; alg: SigningAlgorithm; key: CryptoKey };
  /** Every key a token may be verified with: the signing key and the previous ones. */
  verifying: Map<string, { alg: SigningAlgorithm; key: CryptoKey }>;
  /** The public keys as published at /.well-known/jwks.json. */
  jwks: (PublicJwk & { alg: SigningAlgorithm; use: "sig" })[];
}

const rings = new WeakMap<Bindings, Promise<KeyRing>>();

/**
 * Tokens this isolate has verified, by issuer and token text, until they expire: a
 * signature check costs more than the rest of a request's authentication, and a
 * client sends the same token many times. Only an identical string hits, so a
 * tampered token is always verified afresh; expiry is checked on every hit.
 */
const VERIFIED_MAX_ENTRIES = 10_000;
const verified = new WeakMap<Bindings, Map<string, AccessClaims & { expiresAt: number }>>();

function verifiedTokens(env: Bindings): Map<string, AccessClaims & { expiresAt: number }> {
  let tokens = verified.get(env);
  if (!tokens) {
    tokens = new Map();
    verified.set(env, tokens);
  }
  return tokens;
}

/** The imported keys for `env`, once per isolate. */
function keyRing(env: Bindings): Promise<KeyRing> {
  let ring = rings.get(env);
  if (!ring) {
    ring = importKeyRing(env);
    ring.catch(() => rings.delete(env));
    rings.set(env, ring);
  }
  return ring;
}

async function importKeyRing(env: Bindings): Promise<KeyRing> {
  const current = env.JWT_PRIVATE_KEY;
  const signingAlg = algorithmOf(current);
  const publicKeys = [publicPart(current), ...env.JWT_PREVIOUS_PUBLIC_KEYS.filter((jwk) => jwk.kid !== current.kid)];
  const verifying = new Map<string, { alg: SigningAlgorithm; key: CryptoKey }>();
  for (const jwk of publicKeys) {
    const alg = algorithmOf(jwk);
    verifying.set(jwk.kid, { alg, key: (await importJWK(jwk, alg)) as CryptoKey });
  }
  return {
    signing: { kid: current.kid, alg: signingAlg, key: (await importJWK(current, signingAlg)) as CryptoKey },
    verifying,
    jwks: publicKeys.map((jwk) => ({ ...jwk, alg: algorithmOf(jwk), use: "sig" as const })),
  };
}

/** The public signing keys, current first. */
export async function publicKeys(env: Bindings): Promise<KeyRing["jwks"]> {
  return (await keyRing(env)).jwks;
}

/**
 * Signs an access token for a session: `sub` = user, `sid` = session, a fresh `jti`,
 * `typ: at+jwt`, expiring after ACCESS_TOKEN_TTL_SECONDS.
 *
 * @example
 * const token = await issueAccessToken(c.env, issuer, { userId, sessionId });
 */
export async function issueAccessToken(env: Bindings, issuer: string, claims: AccessClaims): Promise<string> {
  const { signing } = await keyRing(env);
  return new SignJWT({ sid: claims.sessionId })
    .setProtectedHeader({ alg: signing.alg, kid: signing.kid, typ: ACCESS_TOKEN_TYPE })
    .setIssuer(issuer)
    .setAudience(env.JWT_AUDIENCE)
    .setSubject(claims.userId)
    .setJti(crypto.randomUUID())
    .setIssuedAt()
    .setExpirationTime(`${env.ACCESS_TOKEN_TTL_SECONDS}s`)
    .sign(signing.key);
}

/**
 * Verifies an access token: signature by a known `kid` with that key's own algorithm
 * (so `alg: none` or HS256-with-the-public-key never pass), `typ`, `iss`, `aud`,
 * `exp`, `nbf`, and the presence of every claim Gatehouse issues. Returns undefined
 * for any token that fails; why is not the caller's business. A token verified
 * before by this isolate is answered from memory until it expires.
 */
export async function verifyAccessToken(
  env: Bindings,
  issuer: string,
  token: string,
): Promise<AccessClaims | undefined> {
  const cache = verifiedTokens(env);
  const cacheKey = `${issuer} ${token}`;
  const hit = cache.get(cacheKey);
  if (hit) {
    if (hit.expiresAt > Date.now()) return { userId: hit.userId, sessionId: hit.sessionId };
    cache.delete(cacheKey);
  }
  const claims = await verifySignedToken(env, issuer, token);
  if (claims) {
    if (cache.size >= VERIFIED_MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
    cache.set(cacheKey, claims);
  }
  return claims && { userId: claims.userId, sessionId: claims.sessionId };
}

async function verifySignedToken(
  env: Bindings,
  issuer: string,
  token: string,
): Promise<(AccessClaims & { expiresAt: number }) | undefined> {
  const { verifying } = await keyRing(env);
  try {
    const { payload } = await jwtVerify(
      token,
      (header) => {
        const entry = header.kid === undefined ? undefined : verifying.get(header.kid);
        if (!entry || entry.alg !== header.alg) throw new Error("unknown signing key");
        return entry.key;
      },
      {
        algorithms: ALLOWED_ALGORITHMS,
        issuer,
        audience: env.JWT_AUDIENCE,
        typ: ACCESS_TOKEN_TYPE,
        requiredClaims: ["sub", "sid", "jti", "iat", "exp"],
      },
    );
    return claimsOf(payload);
  } catch {
    return undefined;
  }
}

function claimsOf(payload: JWTPayload): (AccessClaims & { expiresAt: number }) | undefined {
  const { sub, sid, exp } = payload;
  if (typeof sub !== "string" || typeof sid !== "string" || !UUID.test(sub) || !UUID.test(sid)) return undefined;
  return { userId: sub, sessionId: sid, expiresAt: (exp as number) * 1000 };
}

/** Issuing and verifying access tokens for one request's issuer (src/services/index.ts binds it). */
export interface AccessTokens {
  issue(claims: AccessClaims): Promise<string>;
  /** The claims of a valid token, or undefined. */
  verify(token: string): Promise<AccessClaims | undefined>;
}
