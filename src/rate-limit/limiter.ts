import { DurableObject } from "cloudflare:workers";
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
 * One rate-limit subject (a client IP or /64, an API key, an account), as a Durable
 * Object so counts are exact: an object runs one call at a time, and its SQLite
 * storage is synchronous, so a check-and-count cannot interleave with another.
 * Counts live in storage and survive eviction.
 *
 * `consume` checks every bucket of a request at once and counts the request in all
 * of them only if all allow it: a request refused by one limit does not use up the
 * others.
 */
export class RateLimiter extends DurableObject {
  consume(buckets: BucketRequest[], now = Date.now()): Decision {
    const results = buckets.map((bucket) => ({ bucket, result: gcra(this.#tat(bucket), now, bucket) }));
    const allowed = results.every(({ result }) => result.allowed);
    if (allowed) for (const { bucket, result } of results) this.ctx.storage.kv.put(bucket.name, result.tat);
    return { allowed, buckets: results.map(({ bucket, result }) => this.#outcome(bucket, result)) };
  }

  /** What `consume` would answer, without counting anything. */
  peek(buckets: BucketRequest[], now = Date.now()): Decision {
    const outcome = buckets.map((bucket) => this.#outcome(bucket, gcra(this.#tat(bucket), now, bucket)));
    return { allowed: outcome.every((bucket) => bucket.retryAfterMs === 0), buckets: outcome };
  }

  /**
   * Counts an event (a failed login) in every bucket that still has room, each on
   * its own: a full bucket does not stop the others from counting. Buckets whose
   * counts have drained are deleted by the alarm, so an object that attackers feed
   * many bucket names does not keep them.
   */
  async record(buckets: BucketRequest[], now = Date.now()): Promise<void> {
    let drainedAt = now;
    for (const bucket of buckets) {
      const result = gcra(this.#tat(bucket), now, bucket);
      if (result.allowed) this.ctx.storage.kv.put(bucket.name, result.tat);
      drainedAt = Math.max(drainedAt, result.tat);
    }
    const alarm = await this.ctx.storage.getAlarm();
    if (alarm === null || alarm < drainedAt) await this.ctx.storage.setAlarm(drainedAt);
  }

  override alarm(): void {
    const now = Date.now();
    const drained = [...this.ctx.storage.kv.list<number>()].filter(([, tat]) => tat <= now);
    for (const [name] of drained) this.ctx.storage.kv.delete(name);
  }

  #tat(bucket: BucketRequest): number | undefined {
    return this.ctx.storage.kv.get<number>(bucket.name);
  }

  #outcome(bucket: BucketRequest, result: GcraResult): BucketOutcome {
    return {
      name: bucket.name,
      limit: bucket.limit,
      remaining: result.remaining,
      resetMs: result.resetMs,
      retryAfterMs: result.retryAfterMs,
    };
  }
}
