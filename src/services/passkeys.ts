import { and, asc, eq, gt, lt, or, sql } from "drizzle-orm";
import { toBase64Url } from "../core/encoding.ts";
import { ApiError } from "../core/errors.ts";
import {
  type AssertionResponse,
  PasskeyRejected,
  type RegistrationResponse,
  type RelyingParty,
  readAssertion,
  SUPPORTED_ALGORITHMS,
  verifyRegistration,
} from "../credentials/webauthn.ts";
import type { Database } from "../db/client.ts";
import { type Passkey, passkeyChallenges, passkeys, users } from "../db/schema/index.ts";
import type { Audit } from "./audit.ts";
import type { FactorAttempt } from "./factor-attempts.ts";
import type { Holder } from "./mfa.ts";
import { endedSessionsSql, type Revocation } from "./revocation.ts";

/** How long a ceremony's challenge lives, and the `timeout` its options give the browser. */
const CHALLENGE_MINUTES = 5;
/** A user's passkeys, at most: the list stays one small page, and a stolen session cannot add without bound. */
export const MAX_PASSKEYS_PER_USER = 20;
const DEFAULT_NAME = "Passkey";

const rejected = (error: PasskeyRejected) =>
  new ApiError("invalid_passkey", `The passkey response was not accepted: ${error.reason}.`);
const staleChallenge = () =>
  new ApiError("invalid_passkey", "The challenge is unknown, used or expired; ask for new options.");
/** The one answer for an unknown passkey, a bad signature, an inactive account and a replayed counter. */
const notAccepted = () => new ApiError("invalid_credentials", "The passkey was not accepted.");

const randomBase64Url = (bytes: number) => toBase64Url(crypto.getRandomValues(new Uint8Array(bytes)));
const challengeHash = async (challenge: Uint8Array) =>
  toBase64Url(new Uint8Array(await crypto.subtle.digest("SHA-256", challenge)));

/** A ceremony's challenge: 32 random bytes for the options, and the hash the database keeps. */
async function newChallenge(): Promise<{ challenge: string; hash: string }> {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return { challenge: toBase64Url(bytes), hash: await challengeHash(bytes) };
}

/** Runs a ceremony check, turning its refusal into the client's 400 and an audit event. */
async function checked<T>(audit: Audit, userId: string | null, check: () => Promise<T>) {
  try {
    return await check();
  } catch (error) {
    if (!(error instanceof PasskeyRejected)) throw error;
    audit.record({
      event: "passkey_rejected",
      outcome: "failure",
      actor: { kind: userId ? "user" : "anonymous", id: userId },
      details: { reason: error.reason },
    });
    throw rejected(error);
  }
}

/** A registration as the browser's `PublicKeyCredential.toJSON()` gives it. */
export interface NewPasskey {
  response: RegistrationResponse & { transports?: string[] | undefined };
  name?: string | undefined;
}

/** A login as the browser's `PublicKeyCredential.toJSON()` gives it. */
export interface PasskeyAssertion {
  id: string;
  response: AssertionResponse;
}

/** The credential descriptors that `excludeCredentials` lists. */
const descriptor = (passkey: Pick<Passkey, "credentialId" | "transports">) => ({
  type: "public-key" as const,
  id: passkey.credentialId,
  transports: passkey.transports,
});

/**
 * Passkeys (WebAuthn): registration by a signed-in user, passwordless login, and the
 * user's list. Each ceremony's challenge is stored hashed and used up by the statement
 * that checks it, so it works once even when two requests race. A login needs user
 * verification, so it satisfies the second factor on its own; it is a factor attempt of
 * the login pipeline like a password (src/services/login.ts), and a signature counter
 * that does not move forward is refused and logged (a cloned authenticator).
 */
export function createPasskeyService({
  rp,
  db,
  revocation,
  audit,
}: {
  rp: RelyingParty;
  db: () => Database;
  revocation: Revocation;
  audit: Audit;
}) {
  /** The statements that store a challenge, sweeping the expired ones (and the user's older registration challenge). */
  function storeChallenge(hash: string, ceremony: "registration" | "login", userId: string | null) {
    return [
      db()
        .delete(passkeyChallenges)
        .where(
          or(
            lt(passkeyChallenges.expiresAt, sql`now()`),
            userId === null
              ? undefined
              : and(eq(passkeyChallenges.userId, userId), eq(passkeyChallenges.ceremony, ceremony)),
          ),
        ),
      db()
        .insert(passkeyChallenges)
        .values({
          challengeHash: hash,
          ceremony,
          userId,
          expiresAt: sql`now() + make_interval(mins => ${CHALLENGE_MINUTES})`,
        }),
    ] as const;
  }

  const timeout = CHALLENGE_MINUTES * 60_000;

  return {
    /**
     * Creation options for `navigator.credentials.create`: a discoverable credential
     * with user verification, no attestation, the user's passkeys excluded. The user's
     * random handle is made on first use, in the same batch.
     */
    async registrationOptions(userId: string) {
      const { challenge, hash } = await newChallenge();
      const [[user], existing] = await db().batch([
        db()
          .update(users)
          .set({ passkeyUserHandle: sql`coalesce(${users.passkeyUserHandle}, ${randomBase64Url(32)})` })
          .where(and(eq(users.id, userId), eq(users.isActive, true)))
          .returning({
            email: users.email,
            username: users.username,
            name: users.name,
            handle: users.passkeyUserHandle,
          }),
        db()
          .select({ credentialId: passkeys.credentialId, transports: passkeys.transports })
          .from(passkeys)
          .where(eq(passkeys.userId, userId)),
        ...storeChallenge(hash, "registration", userId),
      ]);
      if (!user?.handle) throw new ApiError("unauthorized", "The account is not active.");
      if (existing.length >= MAX_PASSKEYS_PER_USER) {
        throw new ApiError("conflict", `An account has at most ${MAX_PASSKEYS_PER_USER} passkeys; delete one first.`);
      }
      return {
        challenge,
        rp: { id: rp.id, name: rp.name },
        user: { id: user.handle, name: user.email, displayName: user.name ?? user.username ?? user.email },
        pubKeyCredParams: SUPPORTED_ALGORITHMS.map((alg) => ({ type: "public-key" as const, alg })),
        timeout,
        attestation: "none" as const,
        excludeCredentials: existing.map(descriptor),
        authenticatorSelection: {
          residentKey: "required" as const,
          requireResidentKey: true,
          userVerification: "required" as const,
        },
      };
    },

    /** Stores the passkey a registration response proves, using up its challenge (which must be this user's). */
    async register(userId: string, { response, name }: NewPasskey): Promise<Passkey> {
      const credential = await checked(audit, userId, () => verifyRegistration(rp, response));
      const transports = JSON.stringify(response.transports ?? []);
      const event = audit.within({
        event: "passkey_registered",
        actor: { kind: "user", id: userId },
        subject: { kind: "passkey", id: sql`(SELECT id FROM added)` },
        when: sql`EXISTS (SELECT 1 FROM added)`,
      });
      const { rows } = await db().execute<{ challenges: number; id: string | null; created_at: string | null }>(sql`
        WITH consumed AS (
          DELETE FROM passkey_challenges
          WHERE challenge_hash = ${await challengeHash(credential.challenge)} AND ceremony = 'registration'
            AND user_id = ${userId} AND expires_at > now()
          RETURNING user_id
        ), added AS (
          INSERT INTO passkeys (user_id, credential_id, public_key, algorithm, sign_count, transports,
                                backup_eligible, backed_up, name)
          SELECT user_id, ${credential.credentialId}, ${JSON.stringify(credential.publicKey)}::jsonb,
                 ${credential.algorithm}, ${credential.signCount},
                 ARRAY(SELECT jsonb_array_elements_text(${transports}::jsonb)),
                 ${credential.backupEligible}, ${credential.backedUp}, ${name ?? DEFAULT_NAME}
          FROM consumed
          WHERE (SELECT count(*) FROM passkeys WHERE user_id = ${userId}) < ${MAX_PASSKEYS_PER_USER}
          ON CONFLICT (credential_id) DO NOTHING
          RETURNING id, created_at
        ), audited AS (${event.insert})
        SELECT (SELECT count(*) FROM consumed)::int AS challenges, added.id,
               to_jsonb(added.created_at) #>> '{}' AS created_at
        FROM (SELECT 1) AS one LEFT JOIN added ON true`);
      const [result] = rows;
      if (!result?.challenges) throw staleChallenge();
      if (!result.id || !result.created_at) {
        throw new ApiError(
          "conflict",
          `This passkey is already registered, or the account has ${MAX_PASSKEYS_PER_USER} passkeys.`,
        );
      }
      event.logged(result.id);
      return {
        id: result.id,
        userId,
        credentialId: credential.credentialId,
        publicKey: credential.publicKey,
        algorithm: credential.algorithm,
        signCount: credential.signCount,
        transports: response.transports ?? [],
        backupEligible: credential.backupEligible,
        backedUp: credential.backedUp,
        name: name ?? DEFAULT_NAME,
        createdAt: new Date(result.created_at),
        lastUsedAt: null,
      };
    },

    async list(userId: string): Promise<Passkey[]> {
      return db()
        .select()
        .from(passkeys)
        .where(eq(passkeys.userId, userId))
        .orderBy(asc(passkeys.createdAt), asc(passkeys.id));
    },

    async rename(userId: string, id: string, name: string): Promise<Passkey> {
      const [renamed] = await db()
        .update(passkeys)
        .set({ name })
        .where(and(eq(passkeys.id, id), eq(passkeys.userId, userId)))
        .returning();
      if (!renamed) throw new ApiError("not_found", "No passkey with this id.");
      return renamed;
    },

    /** Deletes one of the holder's passkeys: it cannot log in from then on, and their other sessions end. */
    async remove({ userId, sessionId }: Holder, id: string): Promise<void> {
      // One statement: the sessions end, and the event is written, only with the DELETE of a passkey that is the user's.
      const event = audit.within({
        event: "passkey_deleted",
        actor: { kind: "user", id: userId },
        subject: { kind: "passkey", id },
        when: sql`EXISTS (SELECT 1 FROM deleted)`,
      });
      const { rows } = await db().execute<{ deleted: number; sessions: string[] }>(sql`
        WITH deleted AS (
          DELETE FROM passkeys WHERE id = ${id} AND user_id = ${userId} RETURNING user_id
        ), ended AS (
          ${endedSessionsSql("passkey_removed", sql`SELECT user_id FROM deleted`, sessionId)}
        ), audited AS (${event.insert})
        SELECT (SELECT count(*) FROM deleted)::int AS deleted, ARRAY(SELECT id::text FROM ended) AS sessions`);
      const ended = rows[0]?.sessions ?? [];
      if (!rows[0]?.deleted) throw new ApiError("not_found", "No passkey with this id.");
      event.logged();
      await revocation.carry("passkey_removed", { userId, sessions: ended });
    },

    /**
     * Request options for `navigator.credentials.get`, the same for everyone: no
     * `allowCredentials`, so the browser offers the passkeys it holds for this RP ID.
     * Every passkey is discoverable (registration requires a resident key), so no list
     * is needed, and options that named an account's credentials would tell anyone which
     * logins have passkeys.
     */
    async loginOptions() {
      const { challenge, hash } = await newChallenge();
      await db().batch(storeChallenge(hash, "login", null));
      return { challenge, rpId: rp.id, timeout, userVerification: "required" as const };
    },

    /**
     * A passwordless login's factor attempt (src/services/login.ts): the response's
     * challenge is used up, the passkey found by its credential id; the attempt's check
     * verifies the signature with the stored key and moves the signature counter
     * forward in the statement that checks it. An unknown passkey is an attempt on no
     * account, refused like a wrong one.
     */
    async loginAttempt({ id, response }: PasskeyAssertion): Promise<FactorAttempt> {
      const assertion = await checked(audit, null, () => readAssertion(rp, response));
      const [consumed, [found]] = await db().batch([
        db()
          .delete(passkeyChallenges)
          .where(
            and(
              eq(passkeyChallenges.challengeHash, await challengeHash(assertion.challenge)),
              eq(passkeyChallenges.ceremony, "login"),
              gt(passkeyChallenges.expiresAt, sql`now()`),
            ),
          )
          .returning({ hash: passkeyChallenges.challengeHash }),
        db()
          .select({ passkey: passkeys, user: users })
          .from(passkeys)
          .innerJoin(users, eq(users.id, passkeys.userId))
          .where(eq(passkeys.credentialId, id)),
      ]);
      if (consumed.length === 0) throw staleChallenge();
      if (!found) {
        // Each unknown credential id its own lock, as an unknown login has.
        return {
          method: "passkey",
          user: null,
          lockName: `passkey:${id}`,
          check: async () => "unknown_passkey",
          refusal: notAccepted,
        };
      }
      const { passkey, user } = found;
      return {
        method: "passkey",
        user,
        lockName: `user:${user.id}`,
        details: { passkey_id: passkey.id },
        refusal: notAccepted,
        async check() {
          if (assertion.userHandle !== undefined && assertion.userHandle !== user.passkeyUserHandle) {
            return "user_handle_mismatch";
          }
          if (!(await assertion.signedBy(passkey))) return "bad_signature";
          if (!user.isActive) return "inactive";
          // Counters only move forward; two authenticators with one counter mean a clone.
          // Authenticators that keep no counter always send 0, and stay at 0.
          const [advanced] = await db()
            .update(passkeys)
            .set({ signCount: assertion.signCount, backedUp: assertion.backedUp, lastUsedAt: sql`now()` })
            .where(
              and(
                eq(passkeys.id, passkey.id),
                assertion.signCount === 0 ? eq(passkeys.signCount, 0) : lt(passkeys.signCount, assertion.signCount),
              ),
            )
            .returning({ id: passkeys.id });
          if (advanced) return undefined;
          audit.record({
            event: "passkey_sign_count_regression",
            outcome: "failure",
            actor: { kind: "user", id: user.id },
            subject: { kind: "passkey", id: passkey.id },
            details: { stored: passkey.signCount, presented: assertion.signCount },
          });
          return "sign_count_regression";
        },
      };
    },
  };
}

export type PasskeyService = ReturnType<typeof createPasskeyService>;
