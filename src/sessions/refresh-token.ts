import { fromBase64Url, sha256Hex, toBase64Url } from "../core/encoding.ts";

/**
 * Refresh tokens are opaque to clients: `<session id>.<generation>.<mac>`, where the
 * MAC is HMAC-SHA-256 over the first two parts under a key that only the session's
 * SessionFamily Durable Object holds. The session id names the object to ask; the
 * generation says where in the family's chain of rotations the token stands.
 */
export interface RefreshToken {
  sessionId: string;
  generation: number;
  mac: string;
}

const FORMAT = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(\d{1,9})\.([A-Za-z0-9_-]{43})$/;

/** The parts of a well-formed refresh token, or undefined (checked before any I/O). */
export function parseRefreshToken(raw: string | undefined): RefreshToken | undefined {
  const match = raw === undefined ? null : FORMAT.exec(raw);
  if (!match) return undefined;
  return { sessionId: match[1] as string, generation: Number(match[2]), mac: match[3] as string };
}

export function formatRefreshToken(token: RefreshToken): string {
  return `${token.sessionId}.${token.generation}.${token.mac}`;
}

const signedPart = (sessionId: string, generation: number) => new TextEncoder().encode(`${sessionId}.${generation}`);

export async function signRefreshToken(key: CryptoKey, sessionId: string, generation: number): Promise<RefreshToken> {
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, signedPart(sessionId, generation)));
  return { sessionId, generation, mac: toBase64Url(mac) };
}

/** Web Crypto's HMAC verify compares in constant time. */
export function verifyRefreshMac(key: CryptoKey, token: RefreshToken): Promise<boolean> {
  return crypto.subtle.verify("HMAC", key, fromBase64Url(token.mac), signedPart(token.sessionId, token.generation));
}

/** The SHA-256 of a refresh token, hex: all the database ever holds of one. */
export const refreshTokenHash = (token: RefreshToken): Promise<string> => sha256Hex(formatRefreshToken(token));
