import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { gcra } from "./gcra.ts";

const rule = fc.record({
  limit: fc.integer({ min: 1, max: 1_000 }),
  periodMs: fc.integer({ min: 1_000, max: 3_600_000 }),
});

/** Feeds requests at `times` (ascending) through one bucket; the times of those allowed. */
function allowedTimes(times: number[], bucket: { limit: number; periodMs: number }): number[] {
  let tat: number | undefined;
  const allowed: number[] = [];
  for (const now of times) {
    const result = gcra(tat, now, bucket);
    if (result.allowed) {
      tat = result.tat;
      allowed.push(now);
    }
  }
  return allowed;
}

describe("gcra", () => {
  it("allows a burst of exactly `limit`, then refuses until one interval has passed", () => {
    fc.assert(
      fc.property(rule, fc.integer({ min: 0, max: 4e12 }), (bucket, start) => {
        const burst = Array.from({ length: bucket.limit + 1 }, () => start);
        expect(allowedTimes(burst, bucket)).toHaveLength(bucket.limit);
      }),
    );
  });

  it("never allows more than limit + elapsed / interval requests over any stretch of time", () => {
    const requests = fc.array(fc.integer({ min: 0, max: 600_000 }), { minLength: 1, maxLength: 300 });
    fc.assert(
      fc.property(rule, requests, (bucket, offsets) => {
        const times = offsets.sort((a, b) => a - b);
        const allowed = allowedTimes(times, bucket);
        const interval = bucket.periodMs / bucket.limit;
        for (let i = 0; i < allowed.length; i++) {
          for (let j = i; j < allowed.length; j++) {
            const elapsed = (allowed[j] as number) - (allowed[i] as number);
            expect(j - i + 1).toBeLessThanOrEqual(bucket.limit + Math.floor(elapsed / interval + 0.5));
          }
        }
      }),
      { numRuns: 50 },
    );
  });

  it("reports a Retry-After after which the refused request is allowed, and remaining within 0..limit-1", () => {
    fc.assert(
      fc.property(rule, fc.integer({ min: 0, max: 2_000 }), (bucket, extra) => {
        let tat: number | undefined;
        const now = Date.now();
        for (let i = 0; i < bucket.limit + extra; i++) {
          const result = gcra(tat, now, bucket);
          if (result.allowed) {
            expect(result.remaining).toBeGreaterThanOrEqual(0);
            expect(result.remaining).toBeLessThan(bucket.limit);
            expect(result.retryAfterMs).toBe(0);
            tat = result.tat;
          } else {
            expect(result.retryAfterMs).toBeGreaterThan(0);
            expect(gcra(tat, now + result.retryAfterMs, bucket).allowed).toBe(true);
          }
        }
      }),
      { numRuns: 50 },
    );
  });
});
