import type { BucketOutcome } from "./counters.ts";

/** A bucket's outcome as `peek` saw it, with the time one counted failure takes to drain. */
export interface PeekedBucket {
  outcome: BucketOutcome;
  intervalMs: number;
}

export type Admission = { admitted: true } | { admitted: false; retryAfterMs: number };

/**
 * Whether the account lock admits one more attempt (SECURITY.md, "Account lock").
 * Pure, so the rules are read and tested in one place; the RateLimiter object applies
 * them and counts the attempt in the same synchronous call, so parallel attempts
 * cannot all pass before any is counted.
 *
 * - `client`: the buckets of the attempting client (its address, or an IPv6 /64, /56
 *   and /48). Any full one refuses it: one allocation is one client.
 * - `account`: failures on the account from every client. Once full the account is
 *   under attack, and a client with an undrained failure in any of its buckets is
 *   refused until that failure drains; a client with none keeps its attempt, so
 *   nobody can keep the owner out.
 * - `budgets`: account-wide limits that apply to every client (wrong second-factor
 *   codes: the password is already known, so the guesses must not grow with addresses).
 *
 * @example
 * admitAttempt([{ outcome, intervalMs: 90_000 }], { outcome: account, intervalMs: 9_000 }, [])
 */
export function admitAttempt(client: PeekedBucket[], account: PeekedBucket, budgets: PeekedBucket[]): Admission {
  const refusedFor = (retryAfterMs: number[]): Admission =>
    retryAfterMs.length === 0 ? { admitted: true } : { admitted: false, retryAfterMs: Math.max(...retryAfterMs) };

  const full = [...client, ...budgets].filter(({ outcome }) => outcome.retryAfterMs > 0);
  if (full.length > 0) return refusedFor(full.map(({ outcome }) => outcome.retryAfterMs));
  if (account.outcome.retryAfterMs === 0) return { admitted: true };
  // A bucket's reset includes the attempt being asked about; beyond that is undrained failure.
  const undrained = client.map(({ outcome, intervalMs }) => outcome.resetMs - intervalMs).filter((ms) => ms > 0);
  return refusedFor(undrained);
}
