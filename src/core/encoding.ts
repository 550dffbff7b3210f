/** Byte encodings shared by the token, key and password code. */
import { base64urlnopad } from "@scure/base";

/** Standard base64 without padding (PHC strings). */
export const toBase64 = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes)).replace(/=+$/, "");
export const fromBase64 = (text: string): Uint8Array => Uint8Array.from(atob(text), (char) => char.charCodeAt(0));

/** URL-safe base64 without padding (RFC 4648 §5). */
export const toBase64Url = (bytes: Uint8Array): string => base64urlnopad.encode(bytes);

/**
 * The bytes of `text`, which must be exactly what `toBase64Url` makes of them; anything
 * else throws: a length of 1 mod 4, padding, the standard alphabet, whitespace, non-zero
 * pad bits. The one decoder of client-supplied base64url (passkey responses, cursors), so
 * no caller can forget a check (`atob` alone lets most of these through and throws on some).
 */
export const fromBase64Url = (text: string): Uint8Array => base64urlnopad.decode(text);

/** SHA-256 of a UTF-8 string. */
export async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

/** SHA-256 of a UTF-8 string, as lower-case hex. */
export async function sha256Hex(text: string): Promise<string> {
  return Array.from(await sha256(text), (byte) => byte.toString(16).padStart(2, "0")).join("");
}
