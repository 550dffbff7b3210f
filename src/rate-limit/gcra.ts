/**
 * The Generic Cell Rate Algorithm: a limit of `limit` requests per `periodMs`,
 * bursts up to `limit`, with one number of state per bucket (the theoretical
 * arrival time, TAT). Exact, O(1), and never lets a client "save up" more than one
 * period's worth of requests. Times are milliseconds.
 */
export interface BucketRule {
  limit: number;
  periodMs: number;
}

export interface GcraResult {
  allowed: boolean;
  /** The TAT to store if this request is counted. */
  tat: number;
  remaining: number;
  /** Milliseconds until the bucket is full again. */
  resetMs: number;
  /** Milliseconds until a denied request would be allowed (0 when allowed). */
  retryAfterMs: number;
}

// Absorbs floating-point error when the period does not divide evenly by the limit.
const EPSILON_MS = 1e-6;

export function gcra(storedTat: number | undefined, now: number, { limit, periodMs }: BucketRule): GcraResult {
  const interval = periodMs / limit;
  const base = Math.max(storedTat ?? now, now);
  const tat = base + interval;
  const allowAt = tat - periodMs;
  if (now + EPSILON_MS < allowAt) {
    return { allowed: false, tat: base, remaining: 0, resetMs: base - now, retryAfterMs: allowAt - now };
  }
  const remaining = Math.floor((periodMs - (tat - now)) / interval + EPSILON_MS);
  return { allowed: true, tat, remaining, resetMs: tat - now, retryAfterMs: 0 };
}
