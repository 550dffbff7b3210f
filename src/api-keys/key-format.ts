import { base58 } from "@scure/base";
import { sha256, sha256Hex } from "../core/encoding.ts";

/** 24 random bytes: 192 bits, well past the 128 the design asks for. */
const SECRET_BYTES = 24;
const CHECKSUM_LENGTH = 6;
const BASE58 = "[1-9A-HJ-NP-Za-km-z]";
/** Characters of the secret shown in `start` after the prefix. */
const START_CHARS = 6;

export interface ParsedKey {
  /** The whole key, as presented. */
  key: string;
  /** SHA-256 of the key, hex: what the database stores and is searched by. */
  hash: string;
}

/**
 * A new key `{prefix}_{base58 secret}{checksum}`. The checksum (6 base58 characters
 * of the SHA-256 of everything before it) lets a typo or a made-up key be refused
 * without a database query, and lets secret scanners recognise leaked keys.
 *
 * @example
 * const { key, hash, start } = await generateApiKey("gate"); // gate_4vJ9…
 */
export async function generateApiKey(prefix: string): Promise<ParsedKey & { start: string }> {
  const body = `${prefix}_${base58.encode(crypto.getRandomValues(new Uint8Array(SECRET_BYTES)))}`;
  const key = `${body}${await checksum(body)}`;
  return { key, hash: await sha256Hex(key), start: key.slice(0, prefix.length + 1 + START_CHARS) };
}

/**
 * The key's hash if `raw` is a well-formed key with this prefix and a valid checksum;
 * undefined otherwise. No I/O: malformed keys never reach the database.
 */
export async function parseApiKey(raw: string | undefined, prefix: string): Promise<ParsedKey | undefined> {
  if (raw === undefined || raw.length > 128) return undefined;
  const match = new RegExp(`^(${prefix}_${BASE58}{20,60})(${BASE58}{${CHECKSUM_LENGTH}})$`).exec(raw);
  if (!match || (await checksum(match[1] as string)) !== match[2]) return undefined;
  return { key: raw, hash: await sha256Hex(raw) };
}

async function checksum(body: string): Promise<string> {
  const digest = await sha256(`checksum:${body}`);
  return base58.encode(digest.subarray(0, 4)).padStart(CHECKSUM_LENGTH, "1");
}
