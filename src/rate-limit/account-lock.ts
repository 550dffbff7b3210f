import { sha256Hex } from "../crypto/encoding.ts";
import type { Bindings } from "../env.ts";
import type { BucketRequest } from "./limiter.ts";

/**
 * The per-account failed-login lock the login routes call: after
 * LOGIN_FAILURES_PER_ACCOUNT failures within LOGIN_FAILURE_WINDOW_SECONDS the account
 * refuses further attempts from any IP, and regains one attempt per
 * (window / failures) after that. The account's object is named by a hash of the
 * lower-cased login, so no e-mail address appears in an object name.
 *
 * @example
 * const lock = accountLock(c.env);
 * if (await lock.isLocked(login)) throw new ApiError("rate_limited");
 * if (!passwordOk) await lock.recordFailure(login);
 */
export function accountLock(env: Bindings) {
  const bucket: BucketRequest = {
    name: "failed_logins",
    limit: env.LOGIN_FAILURES_PER_ACCOUNT,
    periodMs: env.LOGIN_FAILURE_WINDOW_SECONDS * 1000,
  };
  const limiter = async (account: string) => {
    const name = `account:${await sha256Hex(account.trim().toLowerCase())}`;
    return env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(name));
  };
  return {
    async isLocked(account: string): Promise<boolean> {
      return bucket.limit > 0 && (await limiter(account)).isExhausted(bucket);
    },
    async recordFailure(account: string): Promise<void> {
      if (bucket.limit > 0) await (await limiter(account)).consume([bucket]);
    },
  };
}
