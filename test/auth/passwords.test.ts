import { describe, expect, it } from "vitest";
import { hashPassword, needsRehash, verifyPassword } from "../../src/auth/passwords.ts";

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
});
