import { sql } from "drizzle-orm";
import { verificationCache } from "../api-keys/verification-cache.ts";
import { hashPassword } from "../auth/argon2id-wasm.ts";
import { sha256Hex } from "../crypto/encoding.ts";
import type { Database } from "../db/client.ts";
import { passwordResetEmail, verificationEmail } from "../email/messages.ts";
import type { EmailSender } from "../email/sender.ts";
import { newAccountToken, RESET_TOKEN_MINUTES, VERIFICATION_TOKEN_HOURS } from "../email/tokens.ts";
import type { Bindings } from "../env.ts";
import { ApiError } from "../errors.ts";
import type { Logger } from "../observability/logger.ts";
import { rateLimiterClient } from "../rate-limit/client.ts";
import { issueAccountToken, theUser } from "./account-tokens.ts";
import type { SessionService } from "./sessions.ts";

const invalidToken = () => new ApiError("invalid_token", "This link or code is unknown, already used or expired.");

/**
 * Password reset and email verification (docs/api.md, "Account emails"). Each step
 * that changes data is one SQL statement, so a token is used exactly once even when
 * two requests race, and nothing is left half done.
 */
export function createAccountEmailService(
  env: Bindings,
  db: () => Database,
  sessions: SessionService,
  sender: EmailSender,
  logger: Logger,
) {
  const limiter = rateLimiterClient(env, logger);

  /** Whether `email` may receive another account email this hour (one object per address, named by its hash). */
  async function addressAllows(email: string): Promise<boolean> {
    if (env.EMAILS_PER_ADDRESS_PER_HOUR === 0) return true;
    const subject = `email:${await sha256Hex(email.trim().toLowerCase())}`;
    const bucket = { name: "emails", limit: env.EMAILS_PER_ADDRESS_PER_HOUR, periodMs: 3_600_000 };
    const decision = await limiter.call(subject, "closed", (object) => object.consume([bucket]));
    return decision?.allowed ?? false;
  }

  /** Hands the verification email for `token` to the sender (it leaves after the response). */
  function emailVerification(user: { id: string; email: string }, token: string): void {
    sender.sendLater(verificationEmail(user.email, env.APP_URL, token, VERIFICATION_TOKEN_HOURS), {
      purpose: "email_verification",
      userId: user.id,
    });
  }

  return {
    /**
     * Emails a reset token if `email` names an active account. The caller answers the
     * same whatever happens here: the work is one limiter call and one SQL statement
     * either way, and the email leaves after the response.
     */
    async requestPasswordReset(email: string, ip: string | undefined): Promise<void> {
      const allowed = await addressAllows(email);
      const { token, hash } = await newAccountToken();
      if (!allowed) {
        logger.warn("password_reset_requested", { security_event: true, ip, sent: false, reason: "address_limit" });
        return;
      }
      const { rows } = await db().execute<{ id: string; email: string }>(sql`
        WITH target AS (
          SELECT id, email FROM users WHERE lower(email) = lower(${email}) AND is_active
        ), issued AS (
          ${issueAccountToken(sql`SELECT id FROM target`, "password_reset", hash, sql`make_interval(mins => ${RESET_TOKEN_MINUTES})`)}
        )
        SELECT target.id, target.email FROM target JOIN issued ON issued.user_id = target.id`);
      const [user] = rows;
      logger.info("password_reset_requested", { security_event: true, ip, user_id: user?.id ?? null, sent: !!user });
      if (user) {
        sender.sendLater(passwordResetEmail(user.email, env.APP_URL, token, RESET_TOKEN_MINUTES), {
          purpose: "password_reset",
          userId: user.id,
        });
      }
    },

    /**
     * Uses a reset token: in one statement the token is deleted, the password replaced
     * and every session of the user marked ended (an inactive account's token does
     * nothing). Then the sessions' objects end and this isolate forgets the user's keys.
     */
    async resetPassword(token: string, newPassword: string, ip: string | undefined): Promise<void> {
      const [hash, passwordHash] = await Promise.all([sha256Hex(token), hashPassword(newPassword)]);
      const { rows } = await db().execute<{ user_id: string; session_id: string | null }>(sql`
        WITH consumed AS (
          DELETE FROM account_tokens t USING users u
          WHERE t.token_hash = ${hash} AND t.purpose = 'password_reset' AND t.expires_at > now()
            AND u.id = t.user_id AND u.is_active
          RETURNING t.user_id
        ), changed AS (
          UPDATE users SET password_hash = ${passwordHash}, updated_at = now()
          WHERE id = (SELECT user_id FROM consumed) RETURNING id
        ), ended AS (
          UPDATE sessions SET revoked_at = coalesce(revoked_at, now())
          WHERE user_id = (SELECT user_id FROM consumed) AND expires_at > now() RETURNING id
        )
        SELECT changed.id AS user_id, ended.id AS session_id FROM changed LEFT JOIN ended ON true`);
      const userId = rows[0]?.user_id;
      if (!userId) {
        logger.warn("password_reset_failure", { security_event: true, ip });
        throw invalidToken();
      }
      const ended = rows.flatMap((row) => (row.session_id ? [row.session_id] : []));
      verificationCache.evictOwner(userId);
      await sessions.endFamilies(ended);
      logger.info("password_reset", { security_event: true, ip, user_id: userId, sessions_ended: ended.length });
    },

    /** Emails `user` a new verification token, replacing any older one, within the address's hourly limit. */
    async sendVerification(user: { id: string; email: string }): Promise<void> {
      if (!(await addressAllows(user.email)))
        throw new ApiError("rate_limited", "Too many emails to this address; try again later.");
      const { token, hash } = await newAccountToken();
      await db().execute(
        issueAccountToken(
          theUser(user.id),
          "email_verification",
          hash,
          sql`make_interval(hours => ${VERIFICATION_TOKEN_HOURS})`,
        ),
      );
      emailVerification(user, token);
    },

    emailVerification,

    /** Uses a verification token: deletes it and marks the address verified, in one statement. */
    async verifyEmail(token: string): Promise<void> {
      const { rows } = await db().execute<{ id: string }>(sql`
        WITH consumed AS (
          DELETE FROM account_tokens
          WHERE token_hash = ${await sha256Hex(token)} AND purpose = 'email_verification' AND expires_at > now()
          RETURNING user_id
        )
        UPDATE users SET email_verified_at = coalesce(email_verified_at, now()), updated_at = now()
        WHERE id = (SELECT user_id FROM consumed) RETURNING id`);
      const userId = rows[0]?.id;
      if (!userId) throw invalidToken();
      logger.info("email_verified", { security_event: true, user_id: userId });
    },
  };
}

export type AccountEmailService = ReturnType<typeof createAccountEmailService>;
