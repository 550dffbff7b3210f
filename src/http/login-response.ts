import type { Context } from "hono";
import { ApiError, emailNotVerified } from "../core/errors.ts";
import { hashPassword, verifyPassword } from "../credentials/argon2id-wasm.ts";
import { needsRehash } from "../credentials/passwords.ts";
import type { User } from "../db/schema/index.ts";
import { accountLock } from "../rate-limit/account-lock.ts";
import type { LoginFlow } from "../services/mfa.ts";
import type { TokenPair } from "../services/sessions.ts";
import type { AppEnv } from "./app-env.ts";
import { setSessionCookies } from "./cookies.ts";

/** The one answer for a wrong password, an unknown login and an inactive account. */
const INVALID = () => new ApiError("invalid_credentials", "The login or password is wrong.");

/** What a correct password earns an account with a second factor. */
export interface MfaChallenge {
  mfa_required: true;
  mfa_token: string;
}

/**
 * Password login, shared by `/login`, `/token` and `/jwt/login`: one SQL request
 * for the user, the account's failed-login lock (src/rate-limit/account-lock.ts),
 * argon2id verification (against a dummy hash for an unknown login, so its timing
 * gives nothing away), then a new session. A hash with outdated parameters is
 * replaced in the session's SQL request.
 *
 * An account with a second factor gets an `mfa_token` instead of tokens, for
 * `/v1/auth/mfa/verify`; the OAuth2 password grant (`flow: "oauth2"`) cannot carry
 * that step and is refused for such accounts with 400 `mfa_required`.
 *
 * @example
 * const result = await logIn(c, body.login, body.password, "bearer");
 */
export async function logIn(c: Context<AppEnv>, login: string, password: string, flow: "oauth2"): Promise<TokenPair>;
export async function logIn(
  c: Context<AppEnv>,
  login: string,
  password: string,
  flow: LoginFlow,
): Promise<TokenPair | MfaChallenge>;
export async function logIn(
  c: Context<AppEnv>,
  login: string,
  password: string,
  flow: LoginFlow | "oauth2",
): Promise<TokenPair | MfaChallenge> {
  const { logger, services, ip } = c.var;
  const user = await services.users.findByLogin(login);
  // One lock per account however it is named (email or username); unknown logins get one each.
  const account = user ? `user:${user.id}` : `login:${login}`;
  const passwordOk = await accountLock(c.env, logger).attempt(
    account,
    ip,
    "password",
    async () => (await verifyPassword(password, user?.passwordHash)) && !!user?.isActive,
    user?.id ?? null,
  );
  if (!user || !passwordOk) {
    logger.warn("login_failure", {
      security_event: true,
      ip,
      user_id: user?.id ?? null,
      reason: !user ? "unknown_login" : !user.isActive ? "inactive" : "wrong_password",
    });
    throw INVALID();
  }

  // Only after the password is checked, so an unverified account reveals nothing to a guesser.
  if (c.env.REQUIRE_EMAIL_VERIFICATION && user.emailVerifiedAt === null) {
    logger.warn("login_failure", { security_event: true, ip, user_id: user.id, reason: "email_not_verified" });
    throw emailNotVerified();
  }

  if (user.totpSecret) {
    if (flow === "oauth2") {
      throw new ApiError(
        "mfa_required",
        "This account has a second factor, which the OAuth2 password grant cannot carry: log in with /v1/auth/login and /v1/auth/mfa/verify.",
      );
    }
    logger.info("login_mfa_required", { security_event: true, ip, user_id: user.id });
    return { mfa_required: true, mfa_token: await services.mfa.challenge(user, flow) };
  }

  const upgrade = needsRehash(user.passwordHash) ? await hashPassword(password) : undefined;
  return openSession(c, user, { password_rehashed: !!upgrade }, upgrade);
}

/**
 * The session a completed login earns (password, second step or passkey), logged as
 * `login_success` with `details`; `passwordUpgrade` replaces an outdated hash in the
 * session's SQL request.
 */
export async function openSession(
  c: Context<AppEnv>,
  user: User,
  details: Record<string, unknown>,
  passwordUpgrade?: string,
): Promise<TokenPair> {
  const { logger, services, ip } = c.var;
  const tokens = await services.sessions.start(user, { ip, userAgent: c.req.header("User-Agent") }, passwordUpgrade);
  logger.info("login_success", { security_event: true, ip, user_id: user.id, ...details });
  services.analytics.track("user_logged_in", { route: c.req.path }, user.id);
  return tokens;
}

/**
 * How a login in `flow` ends: bearer tokens in JSON (200), or the session cookies
 * (204), for which the route has already refused a foreign Origin.
 */
export function answerLogin(c: Context<AppEnv>, tokens: TokenPair, flow: LoginFlow) {
  if (flow === "bearer") return c.json(tokens, 200);
  setSessionCookies(c, tokens);
  return c.body(null, 204);
}
