import type { computeHash } from "argon2id/lib/setup.js";
import { timingSafeEqual } from "../core/constant-time.ts";
import { fromBase64, toBase64 } from "../core/encoding.ts";

/** OWASP's argon2id baseline: 19 MiB of memory, 2 passes, 1 lane. */
const PASSWORD_PARAMS = { m: 19_456, t: 2, p: 1 } as const;
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

/** An argon2id implementation: WebAssembly in the Worker, `@noble/hashes` in Node scripts and as the tests' oracle. */
export type Argon2id = computeHash;

/**
 * Password hashing over `argon2id`, loaded on first use.
 *
 * @example
 * const { hashPassword, verifyPassword } = createPasswordHashing(loadArgon2id);
 * const stored = await hashPassword("correct horse battery staple");
 */
export function createPasswordHashing(argon2id: () => Argon2id | Promise<Argon2id>) {
  const derive = async (password: string, salt: Uint8Array, { m, t, p }: Params) =>
    (await argon2id())({
      password: new TextEncoder().encode(password),
      salt,
      memorySize: m,
      passes: t,
      parallelism: p,
      tagLength: HASH_BYTES,
    });

  return {
    /**
     * Hashes with argon2id into a PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`).
     * The hash itself is synchronous, so an isolate holds one work area however many
     * logins arrive together.
     */
    async hashPassword(password: string): Promise<string> {
      const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
      return formatPhc(PASSWORD_PARAMS, salt, await derive(password, salt, PASSWORD_PARAMS));
    },

    /**
     * Whether `password` matches the PHC string `stored`, compared in constant time.
     * Pass `stored = undefined` for an unknown account: a dummy hash at the current
     * parameters is still computed, so the answer takes as long as for a real one. The
     * same goes for a stored hash whose parameters are not in ACCEPTED_PARAMS and for a
     * password shorter than PASSWORD_MIN_LENGTH.
     */
    async verifyPassword(password: string, stored: string | undefined): Promise<boolean> {
      // Every stored hash was made from a password of at least the minimum length, so a
      // shorter one cannot match; it is not hashed (the WebAssembly build refuses some
      // short inputs), the dummy takes its place so the answer still takes the usual time.
      const possible = password.length >= PASSWORD_MIN_LENGTH;
      const read = stored === undefined ? undefined : parsePhc(stored);
      const parsed = possible && read && isAccepted(read.params) ? read : undefined;
      const { params, salt, hash } = parsed ?? DUMMY;
      const candidate = await derive(parsed ? password : DUMMY.password, salt, params);
      return parsed !== undefined && timingSafeEqual(candidate, hash);
    },
  };
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
  password: "dummy password",
  params: PASSWORD_PARAMS,
  salt: new Uint8Array(SALT_BYTES),
  hash: new Uint8Array(HASH_BYTES),
};
