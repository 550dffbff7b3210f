import type { Context } from "hono";
import type { AppEnv } from "../app-env.ts";
import { ApiError } from "../errors.ts";
import { accountLock } from "../rate-limit/account-lock.ts";
import type { TokenPair } from "../services/sessions.ts";
import { hashPassword, verifyPassword } from "./argon2id-wasm.ts";
import { needsRehash } from "./passwords.ts";

/** The one answer for a wrong password, an unknown login and an inactive account. */
const INVALID = () => new ApiError("invalid_credentials", "The login or password is wrong.");

/**
 * Password login, shared by `/login`, `/token` and `/jwt/login`: one SQL request
 * for the user, the account's failed-login lock (src/rate-limit/account-lock.ts),
 * argon2id verification (against a dummy hash for an unknown login, so its timing
 * gives nothing away), then a new session. A hash with outdated parameters is
 * replaced in the session's SQL request.
 *
 * @example
 * const tokens = await logIn(c, body.login, body.password);
 */
export async function logIn(c: Context<AppEnv>, login: string, password: string): Promise<TokenPair> {
  const { logger, services } = c.var;
  const ip = c.req.header("CF-Connecting-IP");
  const user = await services.users.findByLogin(login);
  // One lock per account however it is named (email or username); unknown logins get one each.
  const account = user ? `user:${user.id}` : `login:${login}`;
  const lock = accountLock(c.env, logger);
  try {
    await lock.admit(account, ip);
  } catch (error) {
    logger.warn("login_failure", { security_event: true, ip, user_id: user?.id ?? null, reason: "account_locked" });
    throw error;
  }

  const passwordOk = await verifyPassword(password, user?.passwordHash);
  if (!user || !passwordOk || !user.isActive) {
    await lock.recordFailure(account, ip);
    logger.warn("login_failure", {
      security_event: true,
      ip,
      user_id: user?.id ?? null,
      reason: !user ? "unknown_login" : !passwordOk ? "wrong_password" : "inactive",
    });
    throw INVALID();
  }

  // Only after the password is checked, so an unverified account reveals nothing to a guesser.
  if (c.env.REQUIRE_EMAIL_VERIFICATION && user.emailVerifiedAt === null) {
    logger.warn("login_failure", { security_event: true, ip, user_id: user.id, reason: "email_not_verified" });
    throw new ApiError("email_not_verified", "Verify your email address first; the link is in the email we sent.");
  }

  const upgrade = needsRehash(user.passwordHash) ? await hashPassword(password) : undefined;
  const tokens = await services.sessions.start(user, { ip, userAgent: c.req.header("User-Agent") }, upgrade);
  logger.info("login_success", { security_event: true, ip, user_id: user.id, password_rehashed: !!upgrade });
  services.analytics.track("user_logged_in", { route: c.req.path }, user.id);
  return tokens;
}
