import { DurableObject } from "cloudflare:workers";
import { type BucketRule, gcra } from "./gcra.ts";

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
    const results = buckets.map((bucket) => ({
      bucket,
      result: gcra(this.ctx.storage.kv.get<number>(bucket.name), now, bucket),
    }));
    const allowed = results.every(({ result }) => result.allowed);
    if (allowed) for (const { bucket, result } of results) this.ctx.storage.kv.put(bucket.name, result.tat);
    return {
      allowed,
      buckets: results.map(({ bucket, result }) => ({
        name: bucket.name,
        limit: bucket.limit,
        remaining: result.remaining,
        resetMs: result.resetMs,
        retryAfterMs: result.retryAfterMs,
      })),
    };
  }

  /** Whether `bucket` would refuse the next request, without counting one. */
  isExhausted(bucket: BucketRequest, now = Date.now()): boolean {
    return !gcra(this.ctx.storage.kv.get<number>(bucket.name), now, bucket).allowed;
  }
}
