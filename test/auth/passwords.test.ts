import { argon2id } from "@noble/hashes/argon2.js";
import { describe, expect, it } from "vitest";
import { ACCEPTED_PARAMS, formatPhc, hashPassword, needsRehash, verifyPassword } from "../../src/auth/passwords.ts";

describe("password hashing", () => {
  const stored = hashPassword("correct horse battery staple");

  it("stores argon2id at m=19 MiB, t=2, p=1 as a PHC string with a random salt", () => {
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(hashPassword("correct horse battery staple")).not.toBe(stored);
  });

  it("verifies the right password only", () => {
    expect(verifyPassword("correct horse battery staple", stored)).toBe(true);
    expect(verifyPassword("correct horse battery staplE", stored)).toBe(false);
    expect(verifyPassword("", stored)).toBe(false);
  });

  it("answers false for an unknown account (the dummy hash) and for a hash it cannot read", () => {
    expect(verifyPassword("anything", undefined)).toBe(false);
    expect(verifyPassword("anything", "$2b$12$bcrypt-hash-from-elsewhere")).toBe(false);
  });

  it("asks for a re-hash only when the parameters differ from today's", () => {
    expect(needsRehash(stored)).toBe(false);
    expect(needsRehash(stored.replace("m=19456,t=2", "m=4096,t=3"))).toBe(true);
    expect(needsRehash("$2b$12$bcrypt")).toBe(true);
  });

  it("verifies hashes made at every accepted parameter set, and at no other", () => {
    const salt = new Uint8Array(16).fill(7);
    for (const params of ACCEPTED_PARAMS) {
      const stored = formatPhc(params, salt, argon2id("pw", salt, { ...params, dkLen: 32 }));
      expect(verifyPassword("pw", stored), JSON.stringify(params)).toBe(true);
    }
    const unlisted = { m: 4096, t: 3, p: 1 };
    expect(verifyPassword("pw", formatPhc(unlisted, salt, argon2id("pw", salt, { ...unlisted, dkLen: 32 })))).toBe(
      false,
    );
  });

  it("refuses a tampered row asking for gigabytes of memory without computing it", () => {
    const stored = hashPassword("pw").replace("m=19456,t=2", "m=4000000,t=2");
    const started = performance.now();
    expect(verifyPassword("pw", stored)).toBe(false);
    // Computing m=4 GB would take far longer (or fail); the dummy hash at today's parameters does not.
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
