import { DurableObject } from "cloudflare:workers";
import { admitAttempt } from "./attempt-admission.ts";
import { type BucketOutcome, type BucketRequest, Counters, type Decision } from "./counters.ts";

export type { BucketOutcome, BucketRequest, Decision } from "./counters.ts";

/** The buckets one attempt on a locked account is counted in (see `admitAttempt`). */
export interface LockedAttempt {
  client: BucketRequest[];
  account: BucketRequest;
  budgets: BucketRequest[];
}

/** What `reserveAttempt` answers: refused (with when to retry), or admitted with the buckets it counted in. */
export interface Reservation {
  admitted: boolean;
  retryAfterMs: number;
  reserved: BucketRequest[];
}

/**
 * One rate-limit subject (a client IP or /64, an API key, an account), as a Durable
 * Object so counts are exact: an object runs one call at a time, and its counters
 * (src/rate-limit/counters.ts) are synchronous, so a check-and-count cannot
 * interleave with another. Short windows live in memory, long ones in storage.
 */
export class RateLimiter extends DurableObject {
  readonly #counters = new Counters(this.ctx.storage.kv);
  /** The stored invalidation count, read once per object lifetime: this object is its only writer. */
  #storedVersion?: number;

  /**
   * Checks every bucket and counts the request in all of them only if all allow it.
   * `version` is the subject's invalidation count (see `invalidate`).
   */
  consume(buckets: BucketRequest[], now = Date.now()): Decision & { version: number } {
    return { ...this.#counters.consume(buckets, now), version: this.#version() };
  }

  /**
   * Marks what isolates have cached about this subject as stale: an API key's object
   * is told when the key is revoked, rotated or renewed, or its owner changes, and
   * every request with the key learns it from the `consume` it makes anyway. Stored,
   * so it outlives an eviction.
   */
  invalidate(): number {
    const version = this.#version() + 1;
    this.ctx.storage.kv.put("version", version);
    this.#storedVersion = version;
    return version;
  }

  /** What `consume` would answer, without counting anything. */
  peek(buckets: BucketRequest[], now = Date.now()): Decision {
    return this.#counters.peek(buckets, now);
  }

  /**
   * Counts an event (a failed login) in every bucket that still has room. Buckets
   * whose counts have drained are deleted by the alarm, so an object that attackers
   * feed many bucket names does not keep them.
   */
  async record(buckets: BucketRequest[], now = Date.now()): Promise<BucketRequest[]> {
    const { counted, drainedAt } = this.#counters.record(buckets, now);
    const alarm = await this.ctx.storage.getAlarm();
    if (alarm === null || alarm < drainedAt) await this.ctx.storage.setAlarm(drainedAt);
    return counted;
  }

  /**
   * The account lock's check-and-count in one call (src/rate-limit/attempt-admission.ts):
   * an admitted attempt is counted as a failure at once, before its password or code
   * is checked, so N parallel attempts can never all pass a check that none has yet
   * counted in. `releaseAttempt` gives it back when it turns out right.
   */
  async reserveAttempt(attempt: LockedAttempt, now = Date.now()): Promise<Reservation> {
    const peeked = (bucket: BucketRequest) => ({
      outcome: this.#counters.peek([bucket], now).buckets[0] as BucketOutcome,
      intervalMs: bucket.periodMs / bucket.limit,
    });
    const admission = admitAttempt(attempt.client.map(peeked), peeked(attempt.account), attempt.budgets.map(peeked));
    if (!admission.admitted) return { admitted: false, retryAfterMs: admission.retryAfterMs, reserved: [] };
    const reserved = await this.record([...attempt.client, attempt.account, ...attempt.budgets], now);
    return { admitted: true, retryAfterMs: 0, reserved };
  }

  /** Takes back an attempt `reserveAttempt` counted: the password or code was right. */
  releaseAttempt(reserved: BucketRequest[]): void {
    this.#counters.refund(reserved);
  }

  override alarm(): void {
    this.#counters.forgetDrained();
  }

  #version(): number {
    this.#storedVersion ??= this.ctx.storage.kv.get<number>("version") ?? 0;
    return this.#storedVersion;
  }
}
