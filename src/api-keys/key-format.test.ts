import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generateApiKey, parseApiKey } from "./key-format.ts";

describe("API key format", () => {
  it("generates prefixed base58 keys with >= 128 random bits that parse back to their hash", async () => {
    const keys = await Promise.all(Array.from({ length: 200 }, () => generateApiKey("gate")));
    expect(new Set(keys.map((key) => key.key)).size).toBe(200);
    for (const generated of keys) {
      expect(generated.key).toMatch(/^gate_[1-9A-HJ-NP-Za-km-z]{36,}$/);
      expect(await parseApiKey(generated.key, "gate")).toEqual({ key: generated.key, hash: generated.hash });
    }
  });

  it("refuses every single-character change, another prefix and an overlong value", async () => {
    const { key } = await generateApiKey("gate");
    const alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    for (let i = 5; i < key.length; i++) {
      const replacement = alphabet[(alphabet.indexOf(key[i] as string) + 1) % alphabet.length];
      expect(
        await parseApiKey(`${key.slice(0, i)}${replacement}${key.slice(i + 1)}`, "gate"),
        `position ${i}`,
      ).toBeUndefined();
    }
    expect(await parseApiKey(key, "acme")).toBeUndefined();
    expect(await parseApiKey(`${key}${"1".repeat(100)}`, "gate")).toBeUndefined();
    expect(await parseApiKey(undefined, "gate")).toBeUndefined();
  });
});

describe("API key format, by property", () => {
  it("parses no string that it did not generate", async () => {
    const { key } = await generateApiKey("gate");
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), async (raw) => {
        expect(await parseApiKey(raw, "gate")).toBeUndefined();
        expect(await parseApiKey(`gate_${raw}`, "gate")).toBeUndefined();
      }),
    );
    expect(await parseApiKey(key, "gate")).toBeDefined();
  });
});
