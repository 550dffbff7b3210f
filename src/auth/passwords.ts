import { argon2id } from "@noble/hashes/argon2.js";
import { timingSafeEqual } from "../crypto/constant-time.ts";
import { fromBase64, toBase64 } from "../crypto/encoding.ts";

/** OWASP's argon2id baseline: 19 MiB of memory, 2 passes, 1 lane. */
export const PASSWORD_PARAMS = { m: 19_456, t: 2, p: 1 } as const;
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 1024;

const SALT_BYTES = 16;
const HASH_BYTES = 32;
const PHC = /^\$argon2id\$v=19\$m=(\d{1,7}),t=(\d{1,3}),p=(\d{1,2})\$([A-Za-z0-9+/]{16,})\$([A-Za-z0-9+/]{16,})$/;

type Params = { m: number; t: number; p: number };

/**
 * The parameter sets a stored hash may use: OWASP's five equivalent argon2id
 * baselines (m in KiB, one lane), today's among them. A row with any other set, such
 * as a tampered one asking for gigabytes of memory, verifies as false without being
 * computed (the dummy hash is computed instead, so it takes the usual time).
 */
export const ACCEPTED_PARAMS: readonly Params[] = [
  { m: 47_104, t: 1, p: 1 },
  PASSWORD_PARAMS,
  { m: 12_288, t: 3, p: 1 },
  { m: 9_216, t: 4, p: 1 },
  { m: 7_168, t: 5, p: 1 },
];

const isAccepted = ({ m, t, p }: Params) =>
  ACCEPTED_PARAMS.some((accepted) => accepted.m === m && accepted.t === t && accepted.p === p);

/**
 * Hashes with argon2id into a PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`).
 * Synchronous on purpose: an isolate then holds at most one 19 MiB work area at a
 * time, however many logins arrive together (Workers give an isolate 128 MB).
 *
 * @example
 * const stored = hashPassword("correct horse battery staple");
 */
export function hashPassword(password: string): string {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  return formatPhc(PASSWORD_PARAMS, salt, derive(password, salt, PASSWORD_PARAMS));
}

/**
 * Whether `password` matches the PHC string `stored`, compared in constant time.
 * Pass `stored = undefined` for an unknown account: a dummy hash at the current
 * parameters is still computed, so the answer takes as long as for a real one. The
 * same goes for a stored hash whose parameters are not in ACCEPTED_PARAMS.
 */
export function verifyPassword(password: string, stored: string | undefined): boolean {
  const read = stored === undefined ? undefined : parsePhc(stored);
  const parsed = read && isAccepted(read.params) ? read : undefined;
  const { params, salt, hash } = parsed ?? DUMMY;
  const candidate = derive(password, salt, params);
  return parsed !== undefined && timingSafeEqual(candidate, hash);
}

/** Whether `stored` was made with other parameters than today's and should be re-hashed. */
export function needsRehash(stored: string): boolean {
  const parsed = parsePhc(stored);
  return (
    !parsed ||
    parsed.params.m !== PASSWORD_PARAMS.m ||
    parsed.params.t !== PASSWORD_PARAMS.t ||
    parsed.params.p !== PASSWORD_PARAMS.p
  );
}

function derive(password: string, salt: Uint8Array, params: Params): Uint8Array {
  return argon2id(password, salt, { ...params, dkLen: HASH_BYTES, version: 0x13 });
}

export function formatPhc(params: Params, salt: Uint8Array, hash: Uint8Array): string {
  return `$argon2id$v=19$m=${params.m},t=${params.t},p=${params.p}$${toBase64(salt)}$${toBase64(hash)}`;
}

function parsePhc(stored: string): { params: Params; salt: Uint8Array; hash: Uint8Array } | undefined {
  const match = PHC.exec(stored);
  if (!match) return undefined;
  const [, m, t, p, salt, hash] = match as unknown as [string, string, string, string, string, string];
  return { params: { m: Number(m), t: Number(t), p: Number(p) }, salt: fromBase64(salt), hash: fromBase64(hash) };
}

const DUMMY = {
  params: PASSWORD_PARAMS,
  salt: new Uint8Array(SALT_BYTES),
  hash: new Uint8Array(HASH_BYTES),
};
