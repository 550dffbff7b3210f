import { sha256Hex, toBase64Url } from "../core/encoding.ts";

/** How long the tokens account emails carry stay usable. */
export const RESET_TOKEN_MINUTES = 30;
export const VERIFICATION_TOKEN_HOURS = 24;

/** 144 random bits, URL-safe: short enough to paste, far beyond guessing. */
const TOKEN_BYTES = 18;

/** A fresh single-use token and the SHA-256 that is all the database keeps of it. */
export async function newAccountToken(): Promise<{ token: string; hash: string }> {
  const token = toBase64Url(crypto.getRandomValues(new Uint8Array(TOKEN_BYTES)));
  return { token, hash: await sha256Hex(token) };
}
