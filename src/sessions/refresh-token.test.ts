import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatRefreshToken, parseRefreshToken, signRefreshToken, verifyRefreshMac } from "./refresh-token.ts";

const hmacKey = () =>
  crypto.subtle.generateKey({ name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]) as Promise<CryptoKey>;

describe("refresh tokens", () => {
  it("parse back to what was signed, and verify under their family's key only", async () => {
    const [key, otherKey] = [await hmacKey(), await hmacKey()];
    await fc.assert(
      fc.asyncProperty(fc.uuid(), fc.integer({ min: 0, max: 999_999_999 }), async (sessionId, generation) => {
        const token = await signRefreshToken(key, sessionId, generation);
        const parsed = parseRefreshToken(formatRefreshToken(token));
        expect(parsed).toEqual(token);
        expect(await verifyRefreshMac(key, parsed as NonNullable<typeof parsed>)).toBe(true);
        expect(await verifyRefreshMac(otherKey, token)).toBe(false);
        expect(await verifyRefreshMac(key, { ...token, generation: generation + 1 })).toBe(false);
      }),
      { numRuns: 50 },
    );
  });

  it("refuses anything that is not exactly <uuid>.<generation>.<43-character MAC>, before any crypto", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (raw) => {
        const parsed = parseRefreshToken(raw);
        if (parsed) expect(formatRefreshToken(parsed)).toBe(raw);
      }),
    );
    const valid = `${crypto.randomUUID()}.3.${"A".repeat(43)}`;
    expect(parseRefreshToken(valid)).toBeDefined();
    for (const broken of [
      valid.toUpperCase(),
      `${valid}=`,
      valid.replace(".3.", ".-3."),
      valid.replace(".3.", ".1234567890."),
    ]) {
      expect(parseRefreshToken(broken), broken).toBeUndefined();
    }
    expect(parseRefreshToken(undefined)).toBeUndefined();
  });
});
