import withoutSimd from "argon2id/dist/no-simd.wasm";
import withSimd from "argon2id/dist/simd.wasm";
import setupWasm, { type computeHash } from "argon2id/lib/setup.js";
import { createPasswordHashing } from "./passwords.ts";

let loading: Promise<computeHash> | undefined;

/**
 * The argon2id function of OpenPGP.js's WebAssembly build, about 3.5x faster than
 * `@noble/hashes` in workerd for the same output. The modules are imported already
 * compiled (Workers refuse to compile WebAssembly at run time) and instantiated on
 * the first hash, so an isolate that never hashes never pays for the memory.
 *
 * Memory bound: one instance per isolate with a fixed 65 MiB linear memory (the
 * build's minimum of 1,040 pages); our largest accepted parameter set needs 46 MiB of
 * it, so it never grows. Hashing is synchronous, so however many logins arrive
 * together, only this one work area exists.
 *
 * @example
 * const argon2id = await loadArgon2id();
 * const tag = argon2id({ password, salt, parallelism: 1, passes: 2, memorySize: 19_456, tagLength: 32 });
 */
export function loadArgon2id(): Promise<computeHash> {
  loading ??= setupWasm(instantiate(withSimd), instantiate(withoutSimd)).catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

const instantiate = (module: WebAssembly.Module) => async (imports: WebAssembly.Imports) => ({
  module,
  instance: await WebAssembly.instantiate(module, imports),
});

/** Password hashing as the Worker does it, on the WebAssembly build. */
export const { hashPassword, verifyPassword } = createPasswordHashing(loadArgon2id);
