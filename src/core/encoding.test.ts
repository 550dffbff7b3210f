import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromBase64Url, toBase64Url } from "./encoding.ts";

describe("fromBase64Url", () => {
  it("decodes what toBase64Url encodes, for any bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        expect(fromBase64Url(toBase64Url(bytes))).toEqual(bytes);
      }),
    );
  });

  it.each([
    ["a length of 1 mod 4", "0"],
    ["a length of 5", "AAAAA"],
    ["padding", "AA=="],
    ["one pad character", "AAA="],
    ["padding alone", "===="],
    ["the standard alphabet", "+/8"],
    ["mixed alphabets", "-_+/"],
    ["non-zero pad bits", "AB"],
    ["non-zero pad bits after a group", "AAAAAAB"],
    ["a space", "AA AA"],
    ["a line break", "AAAA\n"],
    ["a letter outside ASCII", "ÀAAA"],
  ])("refuses %s (%j)", (_name, text) => {
    expect(() => fromBase64Url(text)).toThrow();
  });

  it("accepts only the one text toBase64Url makes: whatever it decodes encodes back to itself", () => {
    const symbol = fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/= \n");
    fc.assert(
      fc.property(fc.string({ unit: symbol, maxLength: 12 }), (text) => {
        let bytes: Uint8Array;
        try {
          bytes = fromBase64Url(text);
        } catch {
          return;
        }
        expect(toBase64Url(bytes)).toBe(text);
      }),
      { numRuns: 2_000 },
    );
  });
});
