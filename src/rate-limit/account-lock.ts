import type { AuditRecorder } from "../core/audit-event.ts";
import { sha256Hex } from "../core/encoding.ts";
import type { Bindings } from "../core/env.ts";
import { ApiError } from "../core/errors.ts";
import { ipPrefixes } from "./ip-subjects.ts";
import type { LockedAttempt, RateLimiter, Reservation } from "./limiter.ts";
import type { LimiterRpc } from "./limiter-rpc.ts";

/** What is being guessed: a password, or a second-factor code once the password is known. */
export type AttemptKind = "password" | "second_factor";

/**
 * The failed-attempt lock of an account, designed so that nobody can keep the owner
 * out while guessing stays slow (SECURITY.md, "Account lock"; the rules are in
 * src/rate-limit/attempt-admission.ts):
 *
 * - A client (an IPv4 address; an IPv6 address as its /64, /56 and /48) that fails
 *   LOGIN_FAILURES_PER_CLIENT times on an account within LOGIN_FAILURE_WINDOW_SECONDS
 *   is refused there, even with the right password, regaining one attempt per
 *   window / limit.
 * - Past LOGIN_FAILURES_PER_ACCOUNT failures from all clients the account is under
 *   attack: a client with an undrained failure is refused, one without keeps its try.
 * - Wrong second-factor codes also count in MFA_FAILURES_PER_ACCOUNT, one budget for
 *   the account however many clients send them.
 *
 * Every attempt is reserved (counted as a failure) in the account's RateLimiter object
 * before it is checked, and given back only if it was right, so parallel attempts
 * cannot all pass a check none of them has counted in yet. An attempt whose check
 * throws stays counted. One object per account, named by a hash so no login appears in
 * an object name; an unreachable object refuses the attempt (503): fail closed.
 *
 * @example
 * const lock = accountLock(c.env, limiter, audit);
 * const passwordOk = await lock.attempt(`user:${user.id}`, ip, "password", () => verifyPassword(password, hash));
 */
export function accountLock(env: Bindings, limiter: LimiterRpc, audit: AuditRecorder) {
  const periodMs = env.LOGIN_FAILURE_WINDOW_SECONDS * 1000;
  const bucketsOf = (ip: string | undefined, kind: AttemptKind): LockedAttempt => ({
    client: ipPrefixes(ip).map((subject) => ({
      name: `client:${subject}`,
      limit: env.LOGIN_FAILURES_PER_CLIENT,
      periodMs,
    })),
    account: { name: "account", limit: env.LOGIN_FAILURES_PER_ACCOUNT, periodMs },
    budgets:
      kind === "second_factor" && env.MFA_FAILURES_PER_ACCOUNT > 0
        ? [{ name: "second-factor", limit: env.MFA_FAILURES_PER_ACCOUNT, periodMs }]
        : [],
  });
  const enabled = env.LOGIN_FAILURES_PER_CLIENT > 0 && env.LOGIN_FAILURES_PER_ACCOUNT > 0;

  const reach = async <T>(account: string, call: (object: DurableObjectStub<RateLimiter>) => Promise<T>) =>
    (await limiter.call(`account:${await sha256Hex(account.trim().toLowerCase())}`, "closed", call)) as T;

  /** Reserves one attempt, or refuses it (429 `rate_limited` with Retry-After), recorded as `account_locked`. */
  async function reserve(account: string, ip: string | undefined, kind: AttemptKind, userId: string | null) {
    const reservation = await reach<Reservation>(account, (limiter) => limiter.reserveAttempt(bucketsOf(ip, kind)));
    if (reservation.admitted) return reservation.reserved;
    audit.record({
      event: "account_locked",
      outcome: "failure",
      actor: { kind: "anonymous" },
      ...(userId && { subject: { kind: "user", id: userId } }),
      details: { attempt: kind },
    });
    throw new ApiError("rate_limited", "Too many failed attempts on this account from here; try again later.", {
      headers: { "Retry-After": String(Math.max(1, Math.ceil(reservation.retryAfterMs / 1000))) },
    });
  }

  return {
    /**
     * Runs `check` (is the password or code right?) as one attempt on `account` from
     * the client at `ip`: refused with 429 when the lock does not admit it, counted as a
     * failure unless `check` answers true. `userId` names the account in the log.
     */
    async attempt(
      account: string,
      ip: string | undefined,
      kind: AttemptKind,
      check: () => Promise<boolean>,
      userId: string | null = null,
    ): Promise<boolean> {
      if (!enabled) return check();
      const reserved = await reserve(account, ip, kind, userId);
      const right = await check();
      if (right && reserved.length > 0) await reach<void>(account, (limiter) => limiter.releaseAttempt(reserved));
      return right;
    },
  };
}

export type AccountLock = ReturnType<typeof accountLock>;
