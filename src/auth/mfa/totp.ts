import { Secret, TOTP } from "otpauth";

/** RFC 6238 as authenticator apps expect it: SHA-1, 6 digits, 30-second steps. */
const PERIOD_SECONDS = 30;
const SECRET_BYTES = 20; // 160 bits, RFC 4226's recommendation

/** A fresh TOTP secret. */
export const newTotpSecret = (): Uint8Array => crypto.getRandomValues(new Uint8Array(SECRET_BYTES));

const totp = (secret: Uint8Array, label = "account", issuer = "Gatehouse") =>
  new TOTP({
    issuer,
    label,
    secret: new Secret({ buffer: secret.slice().buffer }),
    algorithm: "SHA1",
    digits: 6,
    period: PERIOD_SECONDS,
  });

/** What an authenticator app needs: the secret in base32 and the `otpauth://` URI (for a QR code). */
export function enrolment(secret: Uint8Array, label: string, issuer: string): { secret: string; otpauthUri: string } {
  const token = totp(secret, label, issuer);
  return { secret: token.secret.base32, otpauthUri: token.toString() };
}

/** The code for `secret` at `timestamp` (tests, and nothing else, need to make codes). */
export const totpCode = (secret: Uint8Array, timestamp = Date.now()): string => totp(secret).generate({ timestamp });

/**
 * The 30-second step `code` is valid for, within one step either side of `now`, or
 * null. The caller refuses a step not later than the last one accepted (no replay).
 */
export function matchingStep(secret: Uint8Array, code: string, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totp(secret).validate({ token: code, timestamp: now, window: 1 });
  return delta === null ? null : Math.floor(now / 1000 / PERIOD_SECONDS) + delta;
}
