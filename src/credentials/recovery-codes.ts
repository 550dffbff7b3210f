import { sha256Hex } from "../core/encoding.ts";

const COUNT = 10;
/** Crockford's base32 without look-alikes: easy to read back from paper. */
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

/** 10 fresh codes (`xxxxx-xxxxx`, 50 random bits each), shown once, and their hashes, which are all that is kept. */
export async function newRecoveryCodes(): Promise<{ codes: string[]; hashes: string[] }> {
  const codes = Array.from({ length: COUNT }, () => {
    const chars = Array.from(crypto.getRandomValues(new Uint8Array(10)), (byte) => ALPHABET[byte % 32]).join("");
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
  return { codes, hashes: await Promise.all(codes.map(recoveryCodeHash)) };
}

/** The hash of a code as typed: case, spaces and dashes do not matter. */
export const recoveryCodeHash = (code: string): Promise<string> => sha256Hex(code.toLowerCase().replace(/[\s-]/g, ""));
