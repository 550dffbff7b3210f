import { base32 } from "@scure/base";
import { timingSafeEqual } from "../core/constant-time.ts";

/*
 * TOTP (RFC 6238) on Web Crypto's HMAC. A TOTP library from npm (otpauth) brought its
 * own SHA-1/2/3 implementations, 14 KB of gzip that pushed the bundle past its 250 KiB
 * budget; this file is the whole algorithm, checked against the RFC's vectors and
 * against that library in the tests.
 */

/** As authenticator apps expect: SHA-1, 6 digits, 30-second steps. */
const PERIOD_SECONDS = 30;
const DIGITS = 6;
const SECRET_BYTES = 20; // 160 bits, RFC 4226's recommendation

/** A fresh TOTP secret. */
export const newTotpSecret = (): Uint8Array => crypto.getRandomValues(new Uint8Array(SECRET_BYTES));

/** What an authenticator app needs: the secret in base32 and the `otpauth://` URI (for a QR code). */
export function enrolment(secret: Uint8Array, label: string, issuer: string): { secret: string; otpauthUri: string } {
  const encoded = base32.encode(secret).replace(/=+$/, "");
  const parameters = new URLSearchParams({
    secret: encoded,
    issuer,
    algorithm: "SHA1",
    digits: String(DIGITS),
    period: String(PERIOD_SECONDS),
  });
  const name = `${encodeURIComponent(issuer)}:${encodeURIComponent(label)}`;
  return { secret: encoded, otpauthUri: `otpauth://totp/${name}?${parameters}` };
}

const stepAt = (timestamp: number) => Math.floor(timestamp / 1000 / PERIOD_SECONDS);

const hmacKey = (secret: Uint8Array) =>
  crypto.subtle.importKey("raw", secret, { name: "HMAC", hash: "SHA-1" }, false, ["sign"]);

/** RFC 4226's HOTP: the 6-digit code of one counter value. */
async function hotp(key: CryptoKey, counter: number): Promise<string> {
  const message = new DataView(new ArrayBuffer(8));
  message.setUint32(0, Math.floor(counter / 2 ** 32));
  message.setUint32(4, counter >>> 0);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, message));
  const offset = (mac[19] as number) & 0x0f;
  const binary = new DataView(mac.buffer, offset, 4).getUint32(0) & 0x7fffffff;
  return String(binary % 10 ** DIGITS).padStart(DIGITS, "0");
}

/** The code for `secret` at `timestamp` (the tests make codes with it). */
export async function totpCode(secret: Uint8Array, timestamp = Date.now()): Promise<string> {
  return hotp(await hmacKey(secret), stepAt(timestamp));
}

/**
 * The 30-second step `code` is valid for, within one step either side of `now`, or
 * null, compared in constant time. The caller refuses a step not later than the last
 * one accepted (no replay).
 */
export async function matchingStep(secret: Uint8Array, code: string, now = Date.now()): Promise<number | null> {
  if (!new RegExp(`^\\d{${DIGITS}}$`).test(code)) return null;
  const key = await hmacKey(secret);
  const given = new TextEncoder().encode(code);
  const current = stepAt(now);
  let match: number | null = null;
  for (const step of [current - 1, current, current + 1]) {
    if (timingSafeEqual(new TextEncoder().encode(await hotp(key, step)), given)) match = step;
  }
  return match;
}
