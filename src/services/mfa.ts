import { and, eq, gt, inArray, isNull, lt, or, sql } from "drizzle-orm";
import { sha256Hex } from "../core/encoding.ts";
import { ApiError } from "../core/errors.ts";
import { newRecoveryCodes, recoveryCodeHash } from "../credentials/recovery-codes.ts";
import { secretBox } from "../credentials/secret-box.ts";
import { enrolment, matchingStep, newTotpSecret } from "../credentials/totp.ts";
import type { Database } from "../db/client.ts";
import { accountTokens, mfaRecoveryCodes, type User, users } from "../db/schema/index.ts";
import { newAccountToken } from "../email/tokens.ts";
import { issueAccountToken, theUser } from "./account-tokens.ts";
import type { Audit } from "./audit.ts";
import { type FactorAttempt, type FactorAttempts, passwordAttempt } from "./factor-attempts.ts";
import { endedSessions, endedSessionsSql, type Revocation } from "./revocation.ts";
import { userExists } from "./users.ts";

/** How a login that needs a second step goes on: bearer tokens in JSON, or cookies. */
export type LoginFlow = "bearer" | "cookie";

/** A second step: a TOTP code, or one of the recovery codes. */
export type SecondFactor = { code: string } | { recoveryCode: string };

export interface Holder {
  userId: string;
  sessionId: string;
  ip: string | undefined;
}

const CHALLENGE_MINUTES = 5;
/** Codes one `mfa_token` may be tried with; then the login must start again from the password. */
export const MFA_TOKEN_TRIES = 5;
const ISSUER = "Gatehouse";

type AcceptOptions = [accept?: (step: number) => Promise<boolean>, sealed?: string | null, lastStep?: number];

const wrongCode = () => new ApiError("invalid_mfa_code", "The code is wrong, expired or already used.");

/**
 * The second factor (TOTP, RFC 6238, with recovery codes) of every login path.
 * Secrets are sealed at rest (src/credentials/secret-box.ts); a code is accepted once
 * (the last accepted step is kept and compared in the statement that records it);
 * wrong codes and passwords are factor attempts (src/services/factor-attempts.ts), in
 * the account's failed-login lock. Enabling, disabling and an administrator's reset
 * end the user's other sessions.
 */
export function createMfaService({
  encryptionKey,
  previousEncryptionKey,
  db,
  revocation,
  attempts,
  audit,
}: {
  encryptionKey: string;
  previousEncryptionKey: string | undefined;
  db: () => Database;
  revocation: Revocation;
  attempts: FactorAttempts;
  audit: Audit;
}) {
  // Imported on first use and kept: one login step opens the secret and may seal it again.
  let sealer: ReturnType<typeof secretBox> | undefined;
  const box = () => {
    sealer ??= secretBox(encryptionKey, previousEncryptionKey);
    return sealer;
  };

  async function activeUser(userId: string): Promise<User> {
    const [user] = await db()
      .select()
      .from(users)
      .where(and(eq(users.id, userId), eq(users.isActive, true)));
    if (!user) throw new ApiError("unauthorized", "The account is not active.");
    return user;
  }

  const wrongPassword = () => new ApiError("invalid_credentials", "The password is wrong.");
  async function checkPassword(user: User, password: string, ip: string | undefined): Promise<void> {
    await attempts.prove(passwordAttempt(user, user.id, password, wrongPassword), ip, "mfa_failure");
  }

  /**
   * A TOTP attempt: the step `code` is valid for under `sealed` (the enabled secret
   * unless given), later than `lastStep`, and accepted by `accept` (the statement that
   * records it). `matched.step` is the step once it is right.
   */
  function codeAttempt(
    user: User,
    code: string,
    matched: { step?: number },
    accept: (step: number) => Promise<boolean> = async () => true,
    sealed = user.totpSecret,
    lastStep = user.totpLastStep ?? -1,
  ): FactorAttempt {
    if (!sealed) throw new ApiError("conflict", "No second factor is enabled.");
    return {
      method: "totp",
      user,
      lockName: `user:${user.id}`,
      async check() {
        const step = await matchingStep((await (await box()).open(sealed, user.id)).secret, code);
        if (step === null || step <= lastStep || !(await accept(step))) return "wrong_code";
        matched.step = step;
        return undefined;
      },
      refusal: wrongCode,
    };
  }

  /** A code for a change to the second factor itself (enable, disable, new recovery codes); returns its step. */
  async function checkCode(user: User, code: string, ip: string | undefined, ...rest: AcceptOptions): Promise<number> {
    const matched: { step?: number } = {};
    await attempts.prove(codeAttempt(user, code, matched, ...rest), ip, "mfa_failure");
    return matched.step as number;
  }

  /** Seals the user's secret again under the current key if the previous key opened it (key rotation). */
  async function resealIfStale(user: User): Promise<void> {
    if (!user.totpSecret) return;
    const sealer = await box();
    const { secret, stale } = await sealer.open(user.totpSecret, user.id);
    if (!stale) return;
    await db()
      .update(users)
      .set({ totpSecret: await sealer.seal(secret, user.id) })
      .where(and(eq(users.id, user.id), eq(users.totpSecret, user.totpSecret)));
  }

  /** The statements that replace the user's recovery codes, to run in the caller's batch. */
  const replaceRecoveryCodes = (userId: string, hashes: string[]) =>
    [
      db().delete(mfaRecoveryCodes).where(eq(mfaRecoveryCodes.userId, userId)),
      db()
        .insert(mfaRecoveryCodes)
        .values(hashes.map((codeHash) => ({ userId, codeHash }))),
    ] as const;

  return {
    /** A new secret, pending until `enable` confirms a code from it; the password is asked again. */
    async setup(holder: Holder, password: string): Promise<{ secret: string; otpauthUri: string }> {
      const user = await activeUser(holder.userId);
      await checkPassword(user, password, holder.ip);
      if (user.totpSecret) throw new ApiError("conflict", "A second factor is already enabled; disable it first.");
      const secret = newTotpSecret();
      await db()
        .update(users)
        .set({ totpPendingSecret: await (await box()).seal(secret, user.id) })
        .where(eq(users.id, user.id));
      return enrolment(secret, user.email, ISSUER);
    },

    /**
     * Turns the pending secret on with a code from it, in one transaction with 10 new
     * recovery codes (returned once) and the end of every other session.
     */
    async enable(holder: Holder, code: string): Promise<string[]> {
      const user = await activeUser(holder.userId);
      if (user.totpSecret) throw new ApiError("conflict", "A second factor is already enabled.");
      if (!user.totpPendingSecret) throw new ApiError("conflict", "Call /v1/auth/mfa/totp/setup first.");
      const pending = user.totpPendingSecret;
      const { codes, hashes } = await newRecoveryCodes();
      // One statement: the recovery codes change and sessions end only with the UPDATE
      // that enables, so a double-submitted enable cannot replace the codes it showed.
      const ended: string[] = [];
      const event = audit.within({
        event: "mfa_enabled",
        actor: { kind: "user", id: user.id },
        when: sql`EXISTS (SELECT 1 FROM enabled)`,
      });
      await checkCode(
        user,
        code,
        holder.ip,
        async (step) => {
          const { rows } = await db().execute<{ session_id: string | null }>(sql`
            WITH enabled AS (
              UPDATE users SET totp_secret = totp_pending_secret, totp_pending_secret = NULL, totp_last_step = ${step}
              WHERE id = ${user.id} AND totp_secret IS NULL AND totp_pending_secret = ${pending}
              RETURNING id
            ), cleared AS (
              DELETE FROM mfa_recovery_codes WHERE user_id IN (SELECT id FROM enabled)
            ), added AS (
              INSERT INTO mfa_recovery_codes (user_id, code_hash)
              SELECT enabled.id, hash FROM enabled, unnest(ARRAY[${sql.join(
                hashes.map((hash) => sql`${hash}`),
                sql`, `,
              )}]::text[]) AS hash
            ), ended AS (
              ${endedSessionsSql("mfa_enabled", sql`SELECT id FROM enabled`, holder.sessionId)}
            ), audited AS (${event.insert})
            SELECT ended.id AS session_id FROM enabled LEFT JOIN ended ON true`);
          if (rows.length === 0) throw new ApiError("conflict", "The pending secret changed; set up again.");
          ended.push(...rows.flatMap((row) => (row.session_id ? [row.session_id] : [])));
          return true;
        },
        pending,
      );
      event.logged();
      await revocation.carry("mfa_enabled", { userId: user.id, sessions: ended });
      return codes;
    },

    /** Turns the second factor off (password and a current code), ending every other session. */
    async disable(holder: Holder, password: string, code: string): Promise<void> {
      const user = await activeUser(holder.userId);
      await checkPassword(user, password, holder.ip);
      await checkCode(user, code, holder.ip);
      const [, , ended] = await audit.change(
        db(),
        [
          db()
            .update(users)
            .set({ totpSecret: null, totpPendingSecret: null, totpLastStep: null })
            .where(eq(users.id, user.id)),
          db().delete(mfaRecoveryCodes).where(eq(mfaRecoveryCodes.userId, user.id)),
          endedSessions(db(), "mfa_disabled", user.id, holder.sessionId),
        ],
        { event: "mfa_disabled" },
      );
      await revocation.carry("mfa_disabled", { userId: user.id, sessions: ended.map((session) => session.id) });
    },

    /** A new set of recovery codes (password and a current code); the old set stops working. */
    async regenerateRecoveryCodes(holder: Holder, password: string, code: string): Promise<string[]> {
      const user = await activeUser(holder.userId);
      await checkPassword(user, password, holder.ip);
      const step = await checkCode(user, code, holder.ip);
      const { codes, hashes } = await newRecoveryCodes();
      await audit.change(
        db(),
        [
          db().update(users).set({ totpLastStep: step }).where(eq(users.id, user.id)),
          ...replaceRecoveryCodes(user.id, hashes),
        ],
        { event: "mfa_recovery_codes_regenerated" },
      );
      return codes;
    },

    /**
     * A re-authentication by a current code (src/services/reauthentication.ts): a TOTP
     * attempt on the active account `userId` whose step is recorded, so the code works once.
     */
    async codeProof(userId: string, code: string): Promise<FactorAttempt> {
      const user = await activeUser(userId);
      return codeAttempt(user, code, {}, async (step) => {
        const recorded = await db()
          .update(users)
          .set({ totpLastStep: step })
          .where(and(eq(users.id, user.id), or(isNull(users.totpLastStep), lt(users.totpLastStep, step))))
          .returning({ id: users.id });
        return recorded.length > 0;
      });
    },

    /** An administrator's reset: the user's second factor is gone and every session of theirs ends. */
    async reset(userId: string): Promise<void> {
      const [cleared, , ended] = await audit.change(
        db(),
        [
          db()
            .update(users)
            .set({ totpSecret: null, totpPendingSecret: null, totpLastStep: null })
            .where(eq(users.id, userId))
            .returning({ id: users.id }),
          db().delete(mfaRecoveryCodes).where(eq(mfaRecoveryCodes.userId, userId)),
          endedSessions(db(), "mfa_reset", userId),
        ],
        { event: "mfa_reset", subject: { kind: "user", id: userId }, when: userExists(userId) },
      );
      if (cleared.length === 0) throw new ApiError("not_found", "No user with this id.");
      await revocation.carry("mfa_reset", { userId, sessions: ended.map((session) => session.id) });
    },

    /**
     * The `mfa_token` a correct password earns an account with a second factor: single
     * use, 5 minutes, at most MFA_TOKEN_TRIES codes, bound to the account and to the flow the login began in.
     */
    async challenge(user: User, flow: LoginFlow): Promise<string> {
      const { token } = await newAccountToken();
      const mfaToken = `${flow === "cookie" ? "c" : "b"}.${token}`;
      await db().execute(
        issueAccountToken(
          theUser(user.id),
          "mfa_login",
          await sha256Hex(mfaToken),
          sql`make_interval(mins => ${CHALLENGE_MINUTES})`,
        ),
      );
      return mfaToken;
    },

    /**
     * The second step of a login: the `mfa_token` and a second factor, as the attempt
     * the login pipeline decides (src/services/login.ts). Each try first spends one of the
     * token's MFA_TOKEN_TRIES (one UPDATE, so parallel tries cannot exceed them), then
     * counts in the account lock's second-factor budget. The token, and the code's step
     * or the recovery code, are used up in one statement, so neither works twice, even
     * in parallel. Returns the attempt and the flow the login began in.
     */
    async secondStep(mfaToken: string, factor: SecondFactor): Promise<{ attempt: FactorAttempt; flow: LoginFlow }> {
      const tokenHash = await sha256Hex(mfaToken);
      const [spent, [user]] = await db().batch([
        db()
          .update(accountTokens)
          .set({ tries: sql`${accountTokens.tries} + 1` })
          .where(
            and(
              eq(accountTokens.tokenHash, tokenHash),
              eq(accountTokens.purpose, "mfa_login"),
              gt(accountTokens.expiresAt, sql`now()`),
              lt(accountTokens.tries, MFA_TOKEN_TRIES),
            ),
          )
          .returning({ userId: accountTokens.userId }),
        db()
          .select()
          .from(users)
          .where(
            and(
              eq(users.isActive, true),
              inArray(
                users.id,
                db()
                  .select({ id: accountTokens.userId })
                  .from(accountTokens)
                  .where(eq(accountTokens.tokenHash, tokenHash)),
              ),
            ),
          ),
      ]);
      if (spent.length === 0 || !user?.totpSecret)
        throw new ApiError("invalid_token", "This login step is unknown, used or expired; log in again.");
      const flow: LoginFlow = mfaToken.startsWith("c.") ? "cookie" : "bearer";

      if ("recoveryCode" in factor) {
        const codeHash = await recoveryCodeHash(factor.recoveryCode);
        const attempt: FactorAttempt = {
          method: "recovery_code",
          user,
          lockName: `user:${user.id}`,
          async check() {
            const event = audit.within({
              event: "mfa_recovery_code_used",
              actor: { kind: "user", id: user.id },
              when: sql`EXISTS (SELECT 1 FROM used)`,
            });
            const { rows } = await db().execute(sql`
              WITH used AS (
                UPDATE mfa_recovery_codes SET used_at = now()
                WHERE user_id = ${user.id} AND code_hash = ${codeHash} AND used_at IS NULL
                RETURNING user_id
              ), audited AS (${event.insert})
              DELETE FROM account_tokens WHERE token_hash = ${tokenHash} AND user_id IN (SELECT user_id FROM used)
              RETURNING user_id`);
            if (rows.length === 0) return "wrong_recovery_code";
            event.logged();
            return undefined;
          },
          refusal: wrongCode,
        };
        return { attempt, flow };
      }

      const attempt = codeAttempt(user, factor.code, {}, async (step) => {
        const { rows: accepted } = await db().execute(sql`
          WITH consumed AS (
            DELETE FROM account_tokens WHERE token_hash = ${tokenHash} RETURNING user_id
          )
          UPDATE users SET totp_last_step = ${step}
          WHERE id = (SELECT user_id FROM consumed) AND (totp_last_step IS NULL OR totp_last_step < ${step})
          RETURNING id`);
        if (accepted.length > 0) await resealIfStale(user);
        return accepted.length > 0;
      });
      return { attempt, flow };
    },
  };
}

export type MfaService = ReturnType<typeof createMfaService>;
