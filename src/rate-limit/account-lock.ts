import { sha256Hex } from "../crypto/encoding.ts";
import type { Bindings } from "../env.ts";
import { ApiError } from "../errors.ts";
import type { Logger } from "../observability/logger.ts";
import { rateLimiterClient } from "./client.ts";
import { clientSubject } from "./client-ip.ts";
import type { BucketOutcome, BucketRequest, RateLimiter } from "./limiter.ts";

/**
 * The failed-password lock of an account, designed so that nobody can keep the
 * owner out while password guessing is still slowed (SECURITY.md, "Account lock"):
 *
 * - A client (an IP, or an IPv6 /64) that fails LOGIN_FAILURES_PER_CLIENT times on an
 *   account within LOGIN_FAILURE_WINDOW_SECONDS is refused on that account, even with
 *   the right password, and regains one attempt per window / limit.
 * - Once the account as a whole has seen LOGIN_FAILURES_PER_ACCOUNT failures in the
 *   window, it is under attack: every client that has an undrained failure on it is
 *   refused, so each guessing address gets one try per window / limit, while a client
 *   with no recent failure (the owner on their own device) still gets its attempt.
 *
 * One RateLimiter object per account, named by a hash so no login appears in an
 * object name. An unreachable object refuses the attempt (503): fail closed, as the
 * login limits do.
 *
 * @example
 * const lock = accountLock(c.env, logger);
 * await lock.admit(`user:${user.id}`, ip);
 * if (!passwordOk) await lock.recordFailure(`user:${user.id}`, ip);
 */
export function accountLock(env: Bindings, logger: Logger) {
  const periodMs = env.LOGIN_FAILURE_WINDOW_SECONDS * 1000;
  const buckets = (ip: string | undefined): [BucketRequest, BucketRequest] => [
    { name: `client:${clientSubject(ip)}`, limit: env.LOGIN_FAILURES_PER_CLIENT, periodMs },
    { name: "account", limit: env.LOGIN_FAILURES_PER_ACCOUNT, periodMs },
  ];
  const enabled = env.LOGIN_FAILURES_PER_CLIENT > 0 && env.LOGIN_FAILURES_PER_ACCOUNT > 0;

  const limiter = rateLimiterClient(env, logger);
  const reach = async <T>(account: string, call: (object: DurableObjectStub<RateLimiter>) => Promise<T>) =>
    limiter.call(`account:${await sha256Hex(account.trim().toLowerCase())}`, "closed", call) as Promise<T>;

  /** Refuses (429 `rate_limited`, with Retry-After) a password attempt the lock does not admit. */
  async function admit(account: string, ip: string | undefined): Promise<void> {
    if (!enabled) return;
    const [client, whole] = buckets(ip);
    const decision = await reach(account, (limiter) => limiter.peek([client, whole]));
    const [ownFailures, allFailures] = decision.buckets as [BucketOutcome, BucketOutcome];
    // A bucket's reset includes the attempt being asked about; beyond that is undrained failure.
    const undrainedMs = ownFailures.resetMs - periodMs / client.limit;
    const underAttack = allFailures.retryAfterMs > 0 && undrainedMs > 0;
    if (ownFailures.retryAfterMs === 0 && !underAttack) return;
    const retryAfterMs = ownFailures.retryAfterMs > 0 ? ownFailures.retryAfterMs : undrainedMs;
    throw new ApiError("rate_limited", "Too many failed logins for this account from here; try again later.", {
      headers: { "Retry-After": String(Math.max(1, Math.ceil(retryAfterMs / 1000))) },
    });
  }

  return {
    admit,

    /** `admit` for a login attempt: a refusal is logged as `login_failure` (`account_locked`) before it is thrown. */
    async admitLogin(account: string, ip: string | undefined, userId: string | null): Promise<void> {
      try {
        await admit(account, ip);
      } catch (error) {
        logger.warn("login_failure", { security_event: true, ip, user_id: userId, reason: "account_locked" });
        throw error;
      }
    },

    /** Counts a wrong password for `account` from the client at `ip`. */
    async recordFailure(account: string, ip: string | undefined): Promise<void> {
      if (enabled) await reach(account, (limiter) => limiter.record(buckets(ip)));
    },
  };
}
