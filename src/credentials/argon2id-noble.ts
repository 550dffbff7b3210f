import { argon2id } from "@noble/hashes/argon2.js";
import type { Argon2id } from "./passwords.ts";

/**
 * argon2id from `@noble/hashes` (pure JavaScript, about 3.5x slower than the
 * WebAssembly build): for Node scripts, which cannot import a `.wasm` module, and as
 * the oracle the WebAssembly build is tested against.
 */
export const nobleArgon2id: Argon2id = ({ password, salt, memorySize, passes, parallelism, tagLength, ad, secret }) =>
  argon2id(password, salt, {
    m: memorySize,
    t: passes,
    p: parallelism,
    dkLen: tagLength,
    version: 0x13,
    ...(ad && { personalization: ad }),
    ...(secret && { key: secret }),
  });
