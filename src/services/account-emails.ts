import { type SQL, sql } from "drizzle-orm";
import { sha256Hex } from "../core/encoding.ts";
import { ApiError } from "../core/errors.ts";
import { hashPassword } from "../credentials/argon2id-wasm.ts";
import type { Database } from "../db/client.ts";
import { passwordResetEmail, verificationEmail } from "../email/messages.ts";
import type { EmailSender } from "../email/sender.ts";
import { newAccountToken, RESET_TOKEN_MINUTES, VERIFICATION_TOKEN_HOURS } from "../email/tokens.ts";
import type { LimiterRpc } from "../rate-limit/limiter-rpc.ts";
import { issueAccountToken, theUser } from "./account-tokens.ts";
import type { Audit } from "./audit.ts";
import { endedSessionsSql, type Revocation } from "./revocation.ts";

/** Whom an account email goes to: the account, and its address as stored. */
type Recipient = {
  id: string;
  email: string;
};

/** What a reset statement did: the ids of what it ended, for their objects. */
type ResetResult = {
  user_id: string;
  /** The address was never verified before this reset (which verified it). */
  was_unverified: boolean;
  sessions: string[];
  keys: string[];
};

const invalidToken = () => new ApiError("invalid_token", "This link or code is unknown, already used or expired.");

/**
 * Password reset and email verification (docs/api.md, "Account emails"). Each step
 * that changes data is one SQL statement, so a token is used exactly once even when
 * two requests race, and nothing is left half done.
 */
export function createAccountEmailService({
  appUrl,
  emailsPerAccountPerHour,
  db,
  limiter,
  sender,
  revocation,
  audit,
}: {
  appUrl: string;
  /** EMAILS_PER_ADDRESS_PER_HOUR; 0: no limit. */
  emailsPerAccountPerHour: number;
  db: () => Database;
  limiter: LimiterRpc;
  sender: EmailSender;
  revocation: Revocation;
  audit: Audit;
}) {
  /**
   * Whether the account `userId` may receive another account email this hour (one
   * object per account). Keyed by the account the database found, never by the typed
   * address: spellings that JavaScript and SQL lowercase differently (U+0130 İ) are one
   * account, so they share one count.
   */
  async function accountAllows(userId: string): Promise<boolean> {
    if (emailsPerAccountPerHour === 0) return true;
    const bucket = { name: "emails", limit: emailsPerAccountPerHour, periodMs: 3_600_000 };
    const decision = await limiter.call(`emails:${userId}`, "closed", (object) => object.consume([bucket]));
    return decision?.allowed ?? false;
  }

  /**
   * A token of `purpose` for the active account `email` names (as the database compares
   * addresses; `unverifiedOnly`: while its address is unverified), within the account's
   * hourly email limit. Every address costs the same: one statement to find the account,
   * one limiter call (an unknown address counts against an object of its own), one
   * statement that issues the token (to no one when there is no account or no room).
   */
  async function tokenByAddress(
    email: string,
    purpose: "password_reset" | "email_verification",
    lifetime: SQL,
    unverifiedOnly: boolean,
  ): Promise<{ user: Recipient | undefined; token: string | undefined }> {
    const { rows } = await db().execute<Recipient>(sql`
      SELECT id, email FROM users
      WHERE lower(email) = lower(${email}) AND is_active ${unverifiedOnly ? sql`AND email_verified_at IS NULL` : sql``}`);
    const [user] = rows;
    const allowed = await accountAllows(user?.id ?? `unknown:${await sha256Hex(email)}`);
    const { token, hash } = await newAccountToken();
    const recipient = user && allowed ? user.id : null;
    await db().execute(issueAccountToken(sql`SELECT id FROM users WHERE id = ${recipient}`, purpose, hash, lifetime));
    return { user, token: recipient ? token : undefined };
  }

  /** Hands the verification email for `token` to the sender (it leaves after the response). */
  function emailVerification(user: Recipient, token: string): void {
    sender.sendLater(verificationEmail(user.email, appUrl, token, VERIFICATION_TOKEN_HOURS), {
      purpose: "email_verification",
      userId: user.id,
    });
  }

  return {
    /**
     * Emails a reset token if `email` names an active account. The caller answers the
     * same whatever happens here, and the work is the same (`tokenByAddress`); the email
     * leaves after the response.
     */
    async requestPasswordReset(email: string): Promise<void> {
      const lifetime = sql`make_interval(mins => ${RESET_TOKEN_MINUTES})`;
      const { user, token } = await tokenByAddress(email, "password_reset", lifetime, false);
      const reason = !user ? "no_account" : !token ? "address_limit" : undefined;
      audit.record({
        event: "password_reset_requested",
        subject: user ? { kind: "user", id: user.id } : undefined,
        details: { sent: !reason, reason: reason ?? null },
      });
      if (user && token) {
        sender.sendLater(passwordResetEmail(user.email, appUrl, token, RESET_TOKEN_MINUTES), {
          purpose: "password_reset",
          userId: user.id,
        });
      }
    },

    /**
     * Emails a new verification token if `email` names an active account whose address
     * is unverified: the way back for someone who lost the link and cannot log in
     * (REQUIRE_EMAIL_VERIFICATION). Answered and paid for like `requestPasswordReset`.
     */
    async requestVerification(email: string): Promise<void> {
      const lifetime = sql`make_interval(hours => ${VERIFICATION_TOKEN_HOURS})`;
      const { user, token } = await tokenByAddress(email, "email_verification", lifetime, true);
      audit.record({
        event: "email_verification_requested",
        subject: user ? { kind: "user", id: user.id } : undefined,
        details: { sent: !!token },
      });
      if (user && token) emailVerification(user, token);
    },

    /**
     * Uses a reset token: in one statement the token is deleted, the password replaced
     * and every session of the user marked ended (an inactive account's token does
     * nothing). If the address was never verified, the reset is its proof: the same
     * statement verifies it and ends everything the account had, so nothing planted by
     * someone who registered the address first survives its owner: passkeys (and their
     * pending registration), API keys (revoked), the second factor, the other account
     * tokens. Then src/services/revocation.ts carries it to the sessions' and keys' objects.
     */
    async resetPassword(token: string, newPassword: string): Promise<void> {
      const [hash, passwordHash] = await Promise.all([sha256Hex(token), hashPassword(newPassword)]);
      // The account is who used the token, named by the statement that finds it.
      const account = { kind: "user", id: sql`(SELECT user_id FROM consumed)` } as const;
      const reset = audit.within({
        event: "password_reset",
        actor: account,
        when: sql`EXISTS (SELECT 1 FROM consumed)`,
      });
      const proved = audit.within({
        event: "email_verified",
        actor: account,
        details: { via: "password_reset" },
        when: sql`EXISTS (SELECT 1 FROM squatted)`,
      });
      const { rows } = await db().execute<ResetResult>(sql`
        WITH consumed AS (
          DELETE FROM account_tokens t USING users u
          WHERE t.token_hash = ${hash} AND t.purpose = 'password_reset' AND t.expires_at > now()
            AND u.id = t.user_id AND u.is_active
          RETURNING t.user_id, u.email_verified_at IS NULL AS unverified
        ), squatted AS (
          SELECT user_id FROM consumed WHERE unverified
        ), changed AS (
          UPDATE users SET password_hash = ${passwordHash}, updated_at = now(),
            email_verified_at = coalesce(email_verified_at, now()),
            totp_secret = CASE WHEN email_verified_at IS NULL THEN NULL ELSE totp_secret END,
            totp_pending_secret = CASE WHEN email_verified_at IS NULL THEN NULL ELSE totp_pending_secret END,
            totp_last_step = CASE WHEN email_verified_at IS NULL THEN NULL ELSE totp_last_step END
          WHERE id = (SELECT user_id FROM consumed) RETURNING id
        ), ended AS (
          ${endedSessionsSql("password_reset", sql`SELECT user_id FROM consumed`)}
        ), removed_passkeys AS (
          DELETE FROM passkeys WHERE user_id = (SELECT user_id FROM squatted) RETURNING id
        ), removed_challenges AS (
          DELETE FROM passkey_challenges WHERE user_id = (SELECT user_id FROM squatted)
        ), revoked_keys AS (
          UPDATE api_keys SET revoked_at = now()
          WHERE user_id = (SELECT user_id FROM squatted) AND revoked_at IS NULL RETURNING id
        ), removed_codes AS (
          DELETE FROM mfa_recovery_codes WHERE user_id = (SELECT user_id FROM squatted)
        ), removed_tokens AS (
          DELETE FROM account_tokens WHERE user_id = (SELECT user_id FROM squatted) AND purpose <> 'password_reset'
        ), audited_reset AS (${reset.insert}), audited_proof AS (${proved.insert})
        SELECT changed.id AS user_id, (SELECT unverified FROM consumed) AS was_unverified,
               ARRAY(SELECT id::text FROM ended) AS sessions, ARRAY(SELECT id::text FROM revoked_keys) AS keys
        FROM changed`);
      const [result] = rows;
      if (!result) {
        audit.record({ event: "password_reset_failure", outcome: "failure" });
        throw invalidToken();
      }
      const userId = result.user_id;
      if (result.was_unverified) proved.logged(userId);
      reset.logged(userId);
      await revocation.carry(result.was_unverified ? "password_reset_unverified" : "password_reset", {
        userId,
        sessions: result.sessions,
        keys: result.keys,
      });
    },

    /** Emails `user` a new verification token, replacing any older one, within the account's hourly limit. */
    async sendVerification(user: Recipient): Promise<void> {
      if (!(await accountAllows(user.id)))
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
      const event = audit.within({
        event: "email_verified",
        actor: { kind: "user", id: sql`(SELECT user_id FROM consumed)` },
        when: sql`EXISTS (SELECT 1 FROM consumed)`,
      });
      const { rows } = await db().execute<{ id: string }>(sql`
        WITH consumed AS (
          DELETE FROM account_tokens
          WHERE token_hash = ${await sha256Hex(token)} AND purpose = 'email_verification' AND expires_at > now()
          RETURNING user_id
        ), audited AS (${event.insert})
        UPDATE users SET email_verified_at = coalesce(email_verified_at, now()), updated_at = now()
        WHERE id = (SELECT user_id FROM consumed) RETURNING id`);
      const userId = rows[0]?.id;
      if (!userId) throw invalidToken();
      event.logged(userId);
    },
  };
}

export type AccountEmailService = ReturnType<typeof createAccountEmailService>;
