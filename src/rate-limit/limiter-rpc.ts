import type { AuditDetails, AuditRecorder } from "../core/audit-event.ts";
import type { Bindings } from "../core/env.ts";
import { ApiError } from "../core/errors.ts";
import type { Logger } from "../core/logger.ts";
import type { BucketOutcome, Decision, RateLimiter } from "./limiter.ts";

/**
 * What to do when a limiter object cannot be reached: `closed` refuses the request
 * with 503 `rate_limiter_unavailable` (credential-guessing surfaces), `open` lets it
 * through (an outage of the limiter must not take the API down). Both are logged.
 */
export type OutagePolicy = "open" | "closed";

/**
 * The one way to a RateLimiter object: by subject name (`ip:…`, `key:…`,
 * `account:…`), with an explicit policy for when it is unreachable.
 *
 * @example
 * const limiter = limiterRpc(c.env, c.var.logger, audit);
 * const decision = await limiter.call(`key:${id}`, "open", (object) => object.consume([bucket]));
 * if (decision && !decision.allowed) throw limiter.refusal(decision.buckets, { route: c.req.path });
 */
export function limiterRpc(env: Pick<Bindings, "RATE_LIMITER">, logger: Logger, audit: AuditRecorder) {
  return {
    /**
     * Runs `call` on the subject's object. Unreachable: with `closed`, throws 503;
     * with `open`, answers undefined, and the caller goes on unlimited.
     */
    async call<T>(
      subject: string,
      policy: OutagePolicy,
      call: (limiter: DurableObjectStub<RateLimiter>) => Promise<T>,
    ): Promise<T | undefined> {
      try {
        // src/core/env.ts leaves the namespace untyped so that it imports nothing above it.
        const objects = env.RATE_LIMITER as unknown as DurableObjectNamespace<RateLimiter>;
        return await call(objects.get(objects.idFromName(subject)));
      } catch (error) {
        logger.error("rate_limiter_unavailable", {
          error: error instanceof Error ? error.name : "unknown",
          subject_kind: subject.slice(0, subject.indexOf(":")),
          fail_closed: policy === "closed",
        });
        if (policy === "closed") throw new ApiError("rate_limiter_unavailable", "Please retry shortly.");
        return undefined;
      }
    },

    /**
     * The 429 for a refused request, with `RateLimit-*` and `Retry-After` of the bucket
     * that refused it, after recording the `rate_limited` security event with `details`.
     */
    refusal(outcome: BucketOutcome[], details: AuditDetails): ApiError {
      const refused = outcome.reduce((a, b) => (b.retryAfterMs > a.retryAfterMs ? b : a));
      audit.record({ event: "rate_limited", outcome: "failure", details: { bucket: refused.name, ...details } });
      return new ApiError("rate_limited", "Too many requests; retry later.", {
        headers: { ...rateLimitHeaders(refused), "Retry-After": String(Math.ceil(refused.retryAfterMs / 1000)) },
      });
    },
  };
}

export type LimiterRpc = ReturnType<typeof limiterRpc>;

/** `RateLimit-Limit`, `-Remaining` and `-Reset` (seconds) of the tightest bucket of `decision`. */
export function rateLimitHeaders(bucket: BucketOutcome | Decision): Record<string, string> {
  const tightest = "buckets" in bucket ? bucket.buckets.reduce((a, b) => (b.remaining < a.remaining ? b : a)) : bucket;
  return {
    "RateLimit-Limit": String(tightest.limit),
    "RateLimit-Remaining": String(tightest.remaining),
    "RateLimit-Reset": String(Math.ceil(tightest.resetMs / 1000)),
  };
}
