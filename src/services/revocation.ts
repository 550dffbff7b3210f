import { and, eq, gt, isNull, ne, type SQL, sql } from "drizzle-orm";
import type { VerificationCache } from "../api-keys/verification-cache.ts";
import type { Database } from "../db/client.ts";
import { apiKeys, sessions } from "../db/schema/index.ts";
import type { LimiterRpc } from "../rate-limit/limiter-rpc.ts";
import type { SessionAccess } from "../sessions/session-family.ts";

/** What one account event ends (docs/architecture.md, "What ends when"). */
export interface RevocationRule {
  /** The user's sessions that end: every one, every one but the holder's, or none. */
  sessions: "all" | "others" | "none";
  /** Whether live sessions take the user's new access (role) at once. */
  access: boolean;
  /** Whether every cached verification of the user's keys is dropped, in every isolate. */
  keyVerifications: boolean;
  /** Whether the user's keys are revoked. */
  keys: boolean;
}

/**
 * The rule, one row per account event; docs/architecture.md shows the same table and
 * test/auth/revocation.test.ts proves each row. A change that takes away a factor ends
 * the other sessions (ASVS 7.4.3); one that changes what the account may do reaches its
 * keys, which carry the owner's role and activation in their cached verifications.
 */
export const REVOCATION = {
  role_changed: { sessions: "none", access: true, keyVerifications: true, keys: false },
  deactivated: { sessions: "all", access: false, keyVerifications: true, keys: false },
  reactivated: { sessions: "none", access: false, keyVerifications: true, keys: false },
  password_changed: { sessions: "others", access: false, keyVerifications: false, keys: false },
  password_reset: { sessions: "all", access: false, keyVerifications: false, keys: false },
  /** The reset proved the address for the first time: what anyone planted on it before ends. */
  password_reset_unverified: { sessions: "all", access: false, keyVerifications: true, keys: true },
  mfa_enabled: { sessions: "others", access: false, keyVerifications: false, keys: false },
  mfa_disabled: { sessions: "others", access: false, keyVerifications: false, keys: false },
  mfa_reset: { sessions: "all", access: false, keyVerifications: false, keys: false },
  passkey_removed: { sessions: "others", access: false, keyVerifications: false, keys: false },
} as const satisfies Record<string, RevocationRule>;

export type AccountEvent = keyof typeof REVOCATION;

/**
 * The `UPDATE sessions … RETURNING id` that ends the sessions `event` ends for `userId`
 * (`holder`: the session making the change, kept when the rule says "others"), for the
 * change's own `db.batch`, so the change and the end of its sessions are one transaction.
 */
export function endedSessions(db: Database, event: AccountEvent, userId: string, holder?: string) {
  const rule: RevocationRule = REVOCATION[event];
  return db
    .update(sessions)
    .set({ revokedAt: sql`coalesce(${sessions.revokedAt}, now())` })
    .where(
      and(
        rule.sessions === "none" ? sql`false` : eq(sessions.userId, userId),
        gt(sessions.expiresAt, sql`now()`),
        rule.sessions === "others" && holder !== undefined ? ne(sessions.id, holder) : undefined,
      ),
    )
    .returning({ id: sessions.id });
}

/** The same as `endedSessions`, as a statement for a change written as one SQL statement (a `WITH` of it). */
export function endedSessionsSql(event: AccountEvent, userIds: SQL, holder?: string): SQL {
  const rule: RevocationRule = REVOCATION[event];
  const keep = rule.sessions === "others" && holder !== undefined ? sql`AND id <> ${holder}` : sql``;
  return sql`UPDATE sessions SET revoked_at = coalesce(revoked_at, now())
    WHERE ${rule.sessions === "none" ? sql`false` : sql`user_id IN (${userIds})`} AND expires_at > now() ${keep}
    RETURNING id`;
}

/** The `SELECT` of a user's unrevoked keys, whose objects an owner change reaches. */
export function liveKeys(db: Database, userId: string) {
  return db
    .select({ id: apiKeys.id })
    .from(apiKeys)
    .where(and(eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt)));
}

/** What an event's statements ended or reached, by id, for `carry`. */
export interface Revoked {
  userId: string;
  /** The sessions its statement ended. */
  sessions?: string[];
  /** The user's keys its statement found (or revoked). */
  keys?: string[];
  /** With `access`: the live sessions and the access they now have. */
  access?: { sessions: string[]; access: SessionAccess };
}

/**
 * The one owner of revocation: after an account event's statement committed, carries
 * it to what lives outside the database, as REVOCATION says: the session objects end
 * or take the new access, the keys' objects move their version (so every isolate's
 * cached verification is stale) and this isolate forgets them at once. A key's own
 * change (revoke, rotate, renew) reaches its object the same way.
 *
 * @example
 * const [, ended] = await db.batch([change, endedSessions(db, "mfa_disabled", userId, holder)]);
 * await revocation.carry("mfa_disabled", { userId, sessions: ended.map((s) => s.id) });
 */
export function createRevocation({
  sessions: sessionService,
  limiter,
  verificationCache,
}: {
  /** The session objects' side of src/services/sessions.ts (named here, not imported: sessions read users, users read this). */
  sessions: {
    endFamilies(sessionIds: string[]): Promise<void>;
    setAccess(sessionIds: string[], access: SessionAccess): Promise<void>;
  };
  limiter: LimiterRpc;
  verificationCache: VerificationCache;
}) {
  /** Moves each key object's version: every isolate's cached verification of the key is stale from now on. */
  const invalidateKeys = (keyIds: string[]) =>
    Promise.all(keyIds.map((id) => limiter.call(`key:${id}`, "closed", (object) => object.invalidate())));

  return {
    async carry(event: AccountEvent, revoked: Revoked): Promise<void> {
      const rule: RevocationRule = REVOCATION[event];
      if (rule.keyVerifications) verificationCache.evictOwner(revoked.userId);
      await Promise.all([
        rule.sessions !== "none" && sessionService.endFamilies(revoked.sessions ?? []),
        rule.access && revoked.access && sessionService.setAccess(revoked.access.sessions, revoked.access.access),
        rule.keyVerifications && invalidateKeys(revoked.keys ?? []),
      ]);
    },

    /** A key's own change (revoked, rotated, renewed): its cached verifications go, here and everywhere. */
    async keyChanged(keyId: string): Promise<void> {
      verificationCache.evictKey(keyId);
      await invalidateKeys([keyId]);
    },
  };
}

export type Revocation = ReturnType<typeof createRevocation>;
