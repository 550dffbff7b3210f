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

/**
 * A request may arrive up to half an interval early. Times are epoch milliseconds
 * (~1.8e12), where a double's step is ~2.4e-4 ms, so a TAT built from many additions
 * of a fractional interval drifts; a fixed tiny epsilon then refused the last request
 * of a burst. Half an interval absorbs that drift yet never admits an extra request:
 * the k-th request of a burst needs k <= limit + 1/2, and the TAT still advances one
 * full interval per request, so the long-run rate is unchanged.
 */
const EARLINESS = 0.5;

export function gcra(storedTat: number | undefined, now: number, { limit, periodMs }: BucketRule): GcraResult {
  const interval = periodMs / limit;
  const base = Math.max(storedTat ?? now, now);
  const tat = base + interval;
  const allowAt = tat - periodMs - EARLINESS * interval;
  if (now < allowAt) {
    return { allowed: false, tat: base, remaining: 0, resetMs: base - now, retryAfterMs: allowAt - now };
  }
  const remaining = Math.floor((periodMs - (tat - now)) / interval + EARLINESS);
  return { allowed: true, tat, remaining, resetMs: tat - now, retryAfterMs: 0 };
}
