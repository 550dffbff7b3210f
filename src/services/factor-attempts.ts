import { ApiError } from "../core/errors.ts";
import { verifyPassword } from "../credentials/argon2id-wasm.ts";
import type { User } from "../db/schema/index.ts";
import type { AccountLock, AttemptKind } from "../rate-limit/account-lock.ts";
import type { Audit } from "./audit.ts";

/** The factors a person proves who they are with; later an upstream identity too. */
export type FactorMethod = "password" | "passkey" | "totp" | "recovery_code";

/** What each factor counts as in the account lock: a first factor, or a code once the first is known. */
const LOCK_KIND: Record<FactorMethod, AttemptKind> = {
  password: "password",
  passkey: "password",
  totp: "second_factor",
  recovery_code: "second_factor",
};

/**
 * One attempt at one factor, as its verifier prepares it: the account the factor
 * names and the check that decides it. The verifier knows its factor; admitting,
 * counting and refusing the attempt are the same for every factor (`createFactorAttempts`).
 */
export interface FactorAttempt {
  method: FactorMethod;
  /** The account the factor names; null when it names none (an unknown login or passkey). */
  user: User | null;
  /** Its lock in the account lock: `user:<id>`, or for an unknown login one of its own. */
  lockName: string;
  /** Why the factor is refused, or undefined when it is right. Runs inside the account lock. */
  check(): Promise<string | undefined>;
  /** The answer to a refusal, the same whatever the reason, so that it tells a guesser nothing. */
  refusal(): ApiError;
  /** What else identifies the attempt in its event (a passkey's id); never what was typed. */
  details?: Record<string, string | number | null>;
}

/** The one answer for a wrong password, an unknown login and an inactive account. */
const wrongLogin = () => new ApiError("invalid_credentials", "The login or password is wrong.");

/**
 * A password attempt on `user` (undefined: the login typed names no account, and the
 * password is still hashed against a dummy, so the answer takes as long). `typed` names
 * the lock of an unknown login: each has its own, however the account is named.
 *
 * @example
 * const user = await attempts.prove(passwordAttempt(await users.findByLogin(login), login, password), ip);
 */
export function passwordAttempt(
  user: User | undefined,
  typed: string,
  password: string,
  refusal: () => ApiError = wrongLogin,
): FactorAttempt {
  return {
    method: "password",
    user: user ?? null,
    lockName: user ? `user:${user.id}` : `login:${typed}`,
    async check() {
      const right = (await verifyPassword(password, user?.passwordHash)) && !!user?.isActive;
      if (right) return undefined;
      return !user ? "unknown_login" : !user.isActive ? "inactive" : "wrong_password";
    },
    refusal,
  };
}

/**
 * Admits, checks and records one factor attempt, the same way for every factor and
 * every purpose (a login, its second step, a re-authentication, a password change):
 * the account lock (src/rate-limit/account-lock.ts) refuses it with 429 when it may not
 * be tried, counts it unless it is right, and a refusal is one audit event.
 */
export function createFactorAttempts({ lock, audit }: { lock: AccountLock; audit: Audit }) {
  /** The attempt's account if the factor is right, else the reason it is not. */
  async function decide(attempt: FactorAttempt, ip: string | undefined): Promise<{ user: User } | { reason: string }> {
    const verdict: { reason?: string | undefined } = {};
    const right = await lock.attempt(
      attempt.lockName,
      ip,
      LOCK_KIND[attempt.method],
      async () => {
        verdict.reason = await attempt.check();
        return verdict.reason === undefined;
      },
      attempt.user?.id ?? null,
    );
    return right && attempt.user ? { user: attempt.user } : { reason: verdict.reason ?? "refused" };
  }

  return {
    decide,

    /**
     * The attempt's account when the factor is right; otherwise `event` (a failure, with
     * the factor and the reason) and the attempt's refusal.
     */
    async prove(attempt: FactorAttempt, ip: string | undefined, event = "login_failure"): Promise<User> {
      const decision = await decide(attempt, ip);
      if ("user" in decision) return decision.user;
      audit.record({
        event,
        outcome: "failure",
        // Whoever tried is not known; the account is, when the factor names one (never the login typed).
        actor: { kind: "anonymous" },
        ...(attempt.user && { subject: { kind: "user", id: attempt.user.id } }),
        details: { method: attempt.method, reason: decision.reason, ...attempt.details },
      });
      throw attempt.refusal();
    },
  };
}

export type FactorAttempts = ReturnType<typeof createFactorAttempts>;
