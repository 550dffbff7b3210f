import { DurableObject } from "cloudflare:workers";
import { type BucketRequest, Counters, type Decision } from "./counters.ts";

export type { BucketOutcome, BucketRequest, Decision } from "./counters.ts";

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
  async record(buckets: BucketRequest[], now = Date.now()): Promise<void> {
    const drainedAt = this.#counters.record(buckets, now);
    const alarm = await this.ctx.storage.getAlarm();
    if (alarm === null || alarm < drainedAt) await this.ctx.storage.setAlarm(drainedAt);
  }

  override alarm(): void {
    this.#counters.forgetDrained();
  }

  #version(): number {
    this.#storedVersion ??= this.ctx.storage.kv.get<number>("version") ?? 0;
    return this.#storedVersion;
  }
}
