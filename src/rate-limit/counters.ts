import { type BucketRule, type GcraResult, gcra } from "./gcra.ts";

export interface BucketRequest extends BucketRule {
  /** Bucket name within the subject, e.g. `global` or `login`. */
  name: string;
}

export interface BucketOutcome {
  name: string;
  limit: number;
  remaining: number;
  resetMs: number;
  retryAfterMs: number;
}

export interface Decision {
  allowed: boolean;
  /** Every bucket checked, in request order. */
  buckets: BucketOutcome[];
}

/**
 * Windows up to this long are counted in memory only. An idle Durable Object is
 * evicted after 70 s or more without a request, by which time a window this short has
 * drained anyway, so forgetting it loses nothing. Longer windows (the account lock's
 * 15 minutes) are written to storage and outlive an eviction or a restart.
 */
const MEMORY_WINDOW_MAX_MS = 60_000;

/**
 * The GCRA state of one Durable Object's buckets, each kept where it is cheapest:
 * memory for short windows, the object's synchronous SQLite storage for long ones.
 * Every method is synchronous, so a check-and-count never interleaves with another
 * call to the object: counts are exact under any concurrency.
 *
 * @example
 * const counters = new Counters(ctx.storage.kv);
 * const decision = counters.consume([{ name: "global", limit: 60, periodMs: 60_000 }]);
 */
export class Counters {
  readonly #memory = new Map<string, number>();
  readonly #storage: SyncKvStorage;

  constructor(storage: SyncKvStorage) {
    this.#storage = storage;
  }

  /**
   * Checks every bucket at once and counts the request in all of them only if all
   * allow it: a request refused by one limit does not use up the others.
   */
  consume(buckets: BucketRequest[], now = Date.now()): Decision {
    const results = buckets.map((bucket) => ({ bucket, result: gcra(this.#tat(bucket), now, bucket) }));
    const allowed = results.every(({ result }) => result.allowed);
    if (allowed) for (const { bucket, result } of results) this.#save(bucket, result.tat);
    return { allowed, buckets: results.map(({ bucket, result }) => outcomeOf(bucket, result)) };
  }

  /** What `consume` would answer, without counting anything. */
  peek(buckets: BucketRequest[], now = Date.now()): Decision {
    const outcome = buckets.map((bucket) => outcomeOf(bucket, gcra(this.#tat(bucket), now, bucket)));
    return { allowed: outcome.every((bucket) => bucket.retryAfterMs === 0), buckets: outcome };
  }

  /**
   * Counts an event (a failed login) in every bucket that still has room, each on its
   * own: a full bucket does not stop the others from counting. Returns the buckets it
   * counted in (what `refund` may give back) and when the last of them will have drained.
   */
  record(buckets: BucketRequest[], now = Date.now()): { counted: BucketRequest[]; drainedAt: number } {
    let drainedAt = now;
    const counted: BucketRequest[] = [];
    for (const bucket of buckets) {
      const result = gcra(this.#tat(bucket), now, bucket);
      if (result.allowed) {
        this.#save(bucket, result.tat);
        counted.push(bucket);
      }
      drainedAt = Math.max(drainedAt, result.tat);
    }
    return { counted, drainedAt };
  }

  /** Takes back one event that `record` counted in each of `buckets` (an attempt that turned out right). */
  refund(buckets: BucketRequest[]): void {
    for (const bucket of buckets) {
      const tat = this.#tat(bucket);
      if (tat !== undefined) this.#save(bucket, tat - bucket.periodMs / bucket.limit);
    }
  }

  /** Deletes the stored buckets that have drained by `now`. */
  forgetDrained(now = Date.now()): void {
    const drained = [...this.#storage.list<number>()].filter(([, tat]) => tat <= now);
    for (const [name] of drained) this.#storage.delete(name);
    for (const [name, tat] of this.#memory) if (tat <= now) this.#memory.delete(name);
  }

  #tat(bucket: BucketRequest): number | undefined {
    return bucket.periodMs > MEMORY_WINDOW_MAX_MS
      ? this.#storage.get<number>(bucket.name)
      : this.#memory.get(bucket.name);
  }

  #save(bucket: BucketRequest, tat: number): void {
    if (bucket.periodMs > MEMORY_WINDOW_MAX_MS) this.#storage.put(bucket.name, tat);
    else this.#memory.set(bucket.name, tat);
  }
}

function outcomeOf(bucket: BucketRequest, result: GcraResult): BucketOutcome {
  return {
    name: bucket.name,
    limit: bucket.limit,
    remaining: result.remaining,
    resetMs: result.resetMs,
    retryAfterMs: result.retryAfterMs,
  };
}
