import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import type { Bindings } from "../core/env.ts";
import { ApiError } from "../core/errors.ts";
import type { Logger } from "../core/logger.ts";
import type { AccessTokens } from "../credentials/access-tokens.ts";
import type { Database } from "../db/client.ts";
import { sessions, type User } from "../db/schema/index.ts";
import type { BucketRequest } from "../rate-limit/counters.ts";
import {
  formatRefreshToken,
  parseRefreshToken,
  type RefreshToken,
  refreshTokenHash,
} from "../sessions/refresh-token.ts";
import type { RotateOutcome, SessionAccess, SessionCheck, SessionFamily } from "../sessions/session-family.ts";
import type { Audit } from "./audit.ts";
import type { FactorMethod } from "./factor-attempts.ts";
import { accessOf } from "./users.ts";

/** What every login and refresh answers with (OAuth2 token response, RFC 6749 §5.1). */
export interface TokenPair {
  access_token: string;
  token_type: "bearer";
  expires_in: number;
  refresh_token: string;
  refresh_expires_in: number;
}

/** A user's access as a raw SQL statement returns it (the driver may answer the version as text). */
type AccessRow = { role: User["role"]; is_superuser: boolean; access_version: number | string };
const accessOfRow = (row: AccessRow) =>
  accessOf({ role: row.role, isSuperuser: row.is_superuser, accessVersion: Number(row.access_version) });

/** How a session's login went, for its `login_success` event; with the new hash of an outdated password hash. */
export interface LoginEvent {
  method: FactorMethod;
  passwordUpgrade?: string | undefined;
}

export interface ClientInfo {
  userAgent?: string;
  ip?: string;
}

export interface SessionView {
  id: string;
  createdAt: Date;
  lastUsedAt: Date;
  userAgent: string | null;
  ip: string | null;
}

const MAX_USER_AGENT = 512;

/** The settings sessions are opened and rotated by, and the objects they live in. */
export type SessionSettings = Pick<
  Bindings,
  "SESSION_FAMILY" | "ACCESS_TOKEN_TTL_SECONDS" | "REFRESH_TOKEN_TTL_SECONDS" | "REFRESH_REUSE_GRACE_SECONDS"
>;

/**
 * Sessions: each one a refresh-token family whose rotation its SessionFamily
 * Durable Object serialises, with a durable row in `sessions` for listing; each
 * opening, rotation and end writes its audit event in the statement that records it.
 */
export function createSessionService({
  settings: env,
  db,
  accessTokens,
  logger,
  audit,
}: {
  settings: SessionSettings;
  db: () => Database;
  accessTokens: AccessTokens;
  logger: Logger;
  audit: Audit;
}) {
  // src/core/env.ts leaves the namespace untyped so that it imports nothing above it.
  const families = env.SESSION_FAMILY as unknown as DurableObjectNamespace<SessionFamily>;
  const family = (sessionId: string) => families.get(families.idFromName(sessionId));

  /**
   * A call to session families. If they cannot be reached the answer is a 503
   * `sessions_unavailable` (fail closed: no token is honoured unchecked), never a 500.
   */
  async function reach<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      logger.error("sessions_unavailable", { error: error instanceof Error ? error.message : String(error) });
      throw new ApiError("sessions_unavailable", "Sessions cannot be checked right now; retry shortly.");
    }
  }

  /**
   * Ends sessions whose rows the caller has already marked ended (deactivation and
   * password change do that in the same SQL request as their own update).
   */
  async function endFamilies(sessionIds: string[]): Promise<void> {
    await reach(() => Promise.all(sessionIds.map((id) => family(id).revoke())));
  }

  async function tokenPair(userId: string, refresh: RefreshToken, expiresAt: number): Promise<TokenPair> {
    return {
      access_token: await accessTokens.issue({ userId, sessionId: refresh.sessionId }),
      token_type: "bearer",
      expires_in: env.ACCESS_TOKEN_TTL_SECONDS,
      refresh_token: formatRefreshToken(refresh),
      refresh_expires_in: Math.max(0, Math.floor((expiresAt - Date.now()) / 1000)),
    };
  }

  return {
    /**
     * Opens a session for a user who has just proved who they are: one Durable
     * Object call and one SQL statement (which also stores `passwordUpgrade`, a
     * re-hashed password, when login found the old hash's parameters outdated).
     *
     * The statement writes the session row only if the user is still active, under a
     * share lock on the user row, and returns the role as of that moment. A role or
     * activation change therefore either commits first (and this session takes its
     * result) or waits for the row and then finds this session among the live ones.
     * Only when the role moved since `user` was read does opening cost a second call.
     */
    async start(user: User, client: ClientInfo, login: LoginEvent): Promise<TokenPair> {
      const { passwordUpgrade } = login;
      const userId = user.id;
      const sessionId = crypto.randomUUID();
      const expiresAt = Date.now() + env.REFRESH_TOKEN_TTL_SECONDS * 1000;
      const opened = accessOf(user);
      const refresh = await reach(() => family(sessionId).open(sessionId, userId, opened, expiresAt));
      const upgrade = passwordUpgrade
        ? sql`, upgraded AS (
            UPDATE users SET password_hash = ${passwordUpgrade}, updated_at = now() WHERE id IN (SELECT id FROM account)
          )`
        : sql``;
      const event = audit.within({
        event: "login_success",
        actor: { kind: "user", id: userId },
        subject: { kind: "session", id: sessionId },
        details: { method: login.method, password_rehashed: passwordUpgrade !== undefined },
        when: sql`EXISTS (SELECT 1 FROM account)`,
      });
      const { rows } = await db().execute<AccessRow>(sql`
        WITH account AS (
          SELECT id, role, is_superuser, access_version FROM users WHERE id = ${userId} AND is_active FOR SHARE
        ), opened AS (
          INSERT INTO sessions (id, user_id, refresh_token_hash, user_agent, ip, expires_at)
          SELECT ${sessionId}::uuid, id, ${await refreshTokenHash(refresh)}, ${client.userAgent?.slice(0, MAX_USER_AGENT) ?? null},
            ${client.ip ?? null}, ${new Date(expiresAt).toISOString()}::timestamptz
          FROM account
        ), audited AS (${event.insert})${upgrade}
        SELECT role, is_superuser, access_version FROM account`);
      const [current] = rows;
      if (!current) {
        await reach(() => family(sessionId).revoke());
        throw new ApiError("invalid_credentials", "The login or password is wrong.");
      }
      event.logged();
      const access = accessOfRow(current);
      if (access.version !== opened.version) await reach(() => family(sessionId).setAccess(access));
      return tokenPair(userId, refresh, expiresAt);
    },

    /**
     * Rotates a refresh token: one Durable Object call, then one SQL request that
     * records the rotation and confirms the session and its user are still live.
     * Reuse revokes the whole family (`refresh_reuse_detected`).
     */
    async refresh(raw: string): Promise<TokenPair> {
      const presented = parseRefreshToken(raw);
      if (!presented) throw new ApiError("invalid_refresh_token", "The refresh token is invalid or expired.");
      const outcome: RotateOutcome = await reach(async () =>
        family(presented.sessionId).rotate(presented, env.REFRESH_REUSE_GRACE_SECONDS * 1000),
      );
      if (!outcome.ok && outcome.reason === "reused") {
        await audit.change(
          db(),
          [
            db()
              .update(sessions)
              .set({ revokedAt: sql`now()` })
              .where(and(eq(sessions.id, presented.sessionId), isNull(sessions.revokedAt))),
          ],
          {
            event: "refresh_reuse_detected",
            outcome: "failure",
            actor: { kind: "anonymous" },
            subject: { kind: "session", id: presented.sessionId },
            details: { user_id: outcome.userId },
          },
        );
        throw new ApiError(
          "refresh_token_reused",
          "This refresh token was already used; the session has been ended. Log in again.",
        );
      }
      if (!outcome.ok) throw new ApiError("invalid_refresh_token", "The refresh token is invalid or expired.");

      // One statement, the rotation and its event: no transaction of two round trips inside the database.
      const event = audit.within({
        event: "token_refresh",
        actor: { kind: "user", id: outcome.userId },
        subject: { kind: "session", id: presented.sessionId },
        details: { reissued: outcome.reissued },
        when: sql`EXISTS (SELECT 1 FROM live)`,
      });
      const { rows } = await db().execute<AccessRow>(sql`
        WITH live AS (
          UPDATE sessions SET refresh_token_hash = ${await refreshTokenHash(outcome.token)}, last_used_at = now()
          FROM users
          WHERE sessions.id = ${presented.sessionId} AND sessions.revoked_at IS NULL
            AND users.id = sessions.user_id AND users.is_active
          RETURNING users.role, users.is_superuser, users.access_version
        ), audited AS (${event.insert})
        SELECT role, is_superuser, access_version FROM live`);
      const [live] = rows;
      if (!live) {
        // Ended in the database but not in its family (a revocation cut short): finish it.
        await reach(() => family(presented.sessionId).revoke());
        throw new ApiError("invalid_refresh_token", "The refresh token is invalid or expired.");
      }
      event.logged();
      // A role change that never reached the family (its call failed) is applied now.
      const access = accessOfRow(live);
      if (access.version > (outcome.access.version ?? 0))
        await reach(() => family(presented.sessionId).setAccess(access));
      return tokenPair(outcome.userId, outcome.token, outcome.expiresAt);
    },

    /**
     * Ends the session a genuine refresh token belongs to; anything else is ignored,
     * as logout is idempotent. Returns the ended session's user, if any.
     */
    async endByRefreshToken(raw: string): Promise<string | undefined> {
      const presented = parseRefreshToken(raw);
      if (!presented || !(await reach(() => family(presented.sessionId).revoke(presented)))) return undefined;
      const [[ended]] = await audit.change(
        db(),
        [
          db()
            .update(sessions)
            .set({ revokedAt: sql`now()` })
            .where(eq(sessions.id, presented.sessionId))
            .returning({ userId: sessions.userId }),
        ],
        {
          event: "logout",
          actor: { kind: "user", id: sql`(SELECT user_id::text FROM sessions WHERE id = ${presented.sessionId})` },
          subject: { kind: "session", id: presented.sessionId },
          when: sql`EXISTS (SELECT 1 FROM sessions WHERE id = ${presented.sessionId})`,
        },
      );
      return ended?.userId;
    },

    /** Ends one of `userId`'s sessions; 404 if it has no such session. */
    async end(userId: string, sessionId: string): Promise<void> {
      const mine = and(eq(sessions.id, sessionId), eq(sessions.userId, userId));
      const [ended] = await audit.change(
        db(),
        [
          db()
            .update(sessions)
            .set({ revokedAt: sql`coalesce(${sessions.revokedAt}, now())` })
            .where(mine)
            .returning({ id: sessions.id }),
        ],
        {
          event: "logout",
          actor: { kind: "user", id: userId },
          subject: { kind: "session", id: sessionId },
          when: sql`EXISTS (SELECT 1 FROM ${sessions} WHERE ${mine})`,
        },
      );
      if (ended.length === 0) throw new ApiError("not_found", "No session with this id.");
      await reach(() => family(sessionId).revoke());
    },

    endFamilies,

    /** The user's sessions that are neither ended nor expired, most recently used first. */
    list(userId: string): Promise<SessionView[]> {
      return db()
        .select({
          id: sessions.id,
          createdAt: sessions.createdAt,
          lastUsedAt: sessions.lastUsedAt,
          userAgent: sessions.userAgent,
          ip: sessions.ip,
        })
        .from(sessions)
        .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, sql`now()`)))
        .orderBy(desc(sessions.lastUsedAt));
    },

    /**
     * The session check of an access-token request, one Durable Object call: what the
     * session may do (null once it has ended) and, with `limit`, the request counted
     * against the session's own rate limit.
     */
    check(sessionId: string, limit: BucketRequest | null): Promise<SessionCheck> {
      return reach(() => family(sessionId).check(limit));
    },

    /** Marks the session as re-authenticated now (src/services/reauthentication.ts); false once it has ended. */
    reauthenticated(sessionId: string): Promise<boolean> {
      return reach(() => family(sessionId).reauthenticated());
    },

    /** Applies a role change to sessions that are live (their ids from the same SQL request as the change). */
    async setAccess(sessionIds: string[], access: SessionAccess): Promise<void> {
      await reach(() => Promise.all(sessionIds.map((id) => family(id).setAccess(access))));
    },
  };
}

export type SessionService = ReturnType<typeof createSessionService>;
