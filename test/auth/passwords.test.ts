import { describe, expect, it } from "vitest";
import { nobleArgon2id } from "../../src/credentials/argon2id-noble.ts";
import { hashPassword, loadArgon2id, verifyPassword } from "../../src/credentials/argon2id-wasm.ts";
import { ACCEPTED_PARAMS, createPasswordHashing, formatPhc, needsRehash } from "../../src/credentials/passwords.ts";

/** RFC 9106, section 5.3: the argon2id test vector. */
const RFC_9106 = {
  input: {
    password: new Uint8Array(32).fill(0x01),
    salt: new Uint8Array(16).fill(0x02),
    secret: new Uint8Array(8).fill(0x03),
    ad: new Uint8Array(12).fill(0x04),
    memorySize: 32,
    passes: 3,
    parallelism: 4,
    tagLength: 32,
  },
  tag: "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659",
};

const hex = (bytes: Uint8Array) => Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");

describe("argon2id in WebAssembly", () => {
  it("gives the RFC 9106 test vector, as the @noble/hashes oracle does", async () => {
    const argon2id = await loadArgon2id();
    expect(hex(argon2id(RFC_9106.input))).toBe(RFC_9106.tag);
    expect(hex(nobleArgon2id(RFC_9106.input))).toBe(RFC_9106.tag);
  });

  it("gives byte for byte the oracle's output at every accepted parameter set", async () => {
    const argon2id = await loadArgon2id();
    for (const [index, { m, t, p }] of ACCEPTED_PARAMS.entries()) {
      const input = {
        password: crypto.getRandomValues(new Uint8Array(1 + index * 40)),
        salt: crypto.getRandomValues(new Uint8Array(16)),
        memorySize: m,
        passes: t,
        parallelism: p,
        tagLength: 32,
      };
      expect(argon2id(input), JSON.stringify({ m, t, p })).toEqual(nobleArgon2id(input));
    }
  });

  it("is one instance per isolate, loaded once", async () => {
    expect(await loadArgon2id()).toBe(await loadArgon2id());
  });
});

describe("password hashing", async () => {
  const stored = await hashPassword("correct horse battery staple");
  const oracle = createPasswordHashing(() => nobleArgon2id);

  it("stores argon2id at m=19 MiB, t=2, p=1 as a PHC string with a random salt", async () => {
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(await hashPassword("correct horse battery staple")).not.toBe(stored);
  });

  it("verifies the right password only", async () => {
    expect(await verifyPassword("correct horse battery staple", stored)).toBe(true);
    expect(await verifyPassword("correct horse battery staplE", stored)).toBe(false);
    expect(await verifyPassword("", stored)).toBe(false);
    expect(await verifyPassword("\u0001", stored)).toBe(false);
  });

  it("verifies hashes made by the previous pure-JavaScript code, and the oracle verifies ours", async () => {
    const before = await oracle.hashPassword("pässwörd with ünïcode");
    expect(await verifyPassword("pässwörd with ünïcode", before)).toBe(true);
    expect(await oracle.verifyPassword("correct horse battery staple", stored)).toBe(true);
  });

  it("answers false for an unknown account (the dummy hash) and for a hash it cannot read", async () => {
    expect(await verifyPassword("anything", undefined)).toBe(false);
    expect(await verifyPassword("anything", "$2b$12$bcrypt-hash-from-elsewhere")).toBe(false);
  });

  it("asks for a re-hash only when the parameters differ from today's", () => {
    expect(needsRehash(stored)).toBe(false);
    expect(needsRehash(stored.replace("m=19456,t=2", "m=4096,t=3"))).toBe(true);
    expect(needsRehash("$2b$12$bcrypt")).toBe(true);
  });

  it("verifies hashes made at every accepted parameter set, and at no other", async () => {
    const salt = new Uint8Array(16).fill(7);
    const password = new TextEncoder().encode("long enough");
    const phc = ({ m, t, p }: { m: number; t: number; p: number }) =>
      formatPhc(
        { m, t, p },
        salt,
        nobleArgon2id({ password, salt, memorySize: m, passes: t, parallelism: p, tagLength: 32 }),
      );
    for (const params of ACCEPTED_PARAMS) {
      expect(await verifyPassword("long enough", phc(params)), JSON.stringify(params)).toBe(true);
    }
    expect(await verifyPassword("long enough", phc({ m: 4096, t: 3, p: 1 }))).toBe(false);
  });

  it("refuses a tampered row asking for gigabytes of memory without computing it", async () => {
    const tampered = stored.replace("m=19456,t=2", "m=4000000,t=2");
    const started = performance.now();
    expect(await verifyPassword("correct horse battery staple", tampered)).toBe(false);
    // Computing m=4 GB would take far longer (or fail); the dummy hash at today's parameters does not.
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
