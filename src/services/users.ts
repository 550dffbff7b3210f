import { and, eq, gt, isNull, or, sql } from "drizzle-orm";
import { ApiError } from "../core/errors.ts";
import type { Database } from "../db/client.ts";
import { sessions, type User, users } from "../db/schema/index.ts";
import { VERIFICATION_TOKEN_HOURS } from "../email/tokens.ts";
import type { SessionAccess } from "../sessions/session-family.ts";
import { issueAccountToken } from "./account-tokens.ts";
import type { Audit } from "./audit.ts";
import { type ListOrder, type Page, type PageRequest, pageOfTable, sortKey } from "./pagination.ts";
import { endedSessions, liveKeys } from "./revocation.ts";

export type Role = User["role"];

/** Oldest first, ties by id: the order of `users_created_idx`. */
const USERS_ORDER: ListOrder = {
  tag: "users",
  direction: "asc",
  keys: [sortKey(users.createdAt, "timestamptz"), sortKey(users.id, "uuid")],
};

/** What the user's sessions may do, as of the user row `user` was read from. */
export const accessOf = (user: Pick<User, "role" | "isSuperuser" | "accessVersion">): SessionAccess => ({
  role: user.role,
  superuser: user.isSuperuser,
  version: user.accessVersion,
});

/** For an event's `when`: the user `id` exists (a change of a missing user is a 404 and no event). */
export const userExists = (id: string) => sql`EXISTS (SELECT 1 FROM ${users} WHERE ${users.id} = ${id})`;

/** Every change of role or active state bumps the version sessions compare (src/sessions/session-family.ts). */
const nextAccessVersion = sql`${users.accessVersion} + 1`;

export interface NewUser {
  email: string;
  passwordHash: string;
  username?: string;
  name?: string;
}

const lower = (column: typeof users.email | typeof users.username) => sql`lower(${column})`;

/** The user a login names, by email or username, whatever the letter case. */
const namedBy = (login: string) =>
  or(eq(lower(users.email), login.toLowerCase()), eq(lower(users.username), login.toLowerCase()));

/** Accounts: every method is one SQL request, a change's audit event in its transaction. */
export function createUserService({ db, audit }: { db: () => Database; audit: Audit }) {
  return {
    /**
     * Creates a user; 409 `user_exists` if the email or username is taken in any letter
     * case. With `verificationTokenHash`, the user's email-verification token is stored
     * in the same transaction, so an account never exists without the token its
     * verification email carries.
     */
    async register(input: NewUser, verificationTokenHash?: string): Promise<User> {
      const id = crypto.randomUUID();
      const insert = db()
        .insert(users)
        .values({ ...input, id })
        .onConflictDoNothing()
        .returning();
      const event = { event: "register", actor: { kind: "user", id }, when: userExists(id) } as const;
      const [[created]] = verificationTokenHash
        ? await audit.change(
            db(),
            [
              insert,
              db().execute(
                issueAccountToken(
                  sql`SELECT id FROM users WHERE id = ${id}`,
                  "email_verification",
                  verificationTokenHash,
                  sql`make_interval(hours => ${VERIFICATION_TOKEN_HOURS})`,
                ),
              ),
            ],
            event,
          )
        : await audit.change(db(), [insert], event);
      if (!created) throw new ApiError("user_exists", "An account with this email or username already exists.");
      return created;
    },

    /** The account whose email or username is `login`, ignoring letter case. */
    async findByLogin(login: string): Promise<User | undefined> {
      const [user] = await db().select().from(users).where(namedBy(login)).limit(1);
      return user;
    },

    async findActive(id: string): Promise<User | undefined> {
      const [user] = await db()
        .select()
        .from(users)
        .where(and(eq(users.id, id), eq(users.isActive, true)));
      return user;
    },

    /** Users oldest first: one SQL request, with a capped count only if asked. */
    list(request: PageRequest): Promise<Page<User>> {
      return pageOfTable(db(), users, undefined, USERS_ORDER, request);
    },

    /** Marks the user's address verified (an administrator vouches for it); an earlier verification keeps its time. */
    async markEmailVerified(id: string): Promise<User> {
      const [[user]] = await audit.change(
        db(),
        [
          db()
            .update(users)
            .set({ emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())`, updatedAt: sql`now()` })
            .where(eq(users.id, id))
            .returning(),
        ],
        { event: "email_verified", subject: { kind: "user", id }, when: userExists(id) },
      );
      if (!user) throw new ApiError("not_found", "No user with this id.");
      return user;
    },

    /**
     * Changes a user's role; returns the user and, from the same request, the ids
     * of their live sessions and unrevoked keys, so the caller can carry the change to
     * them. This isolate's cached verifications of the user's keys are dropped.
     */
    async setRole(id: string, role: Role): Promise<{ user: User; liveSessions: string[]; keys: string[] }> {
      const [[user], live, keys] = await audit.change(
        db(),
        [
          db()
            .update(users)
            .set({ role, accessVersion: nextAccessVersion, updatedAt: sql`now()` })
            .where(eq(users.id, id))
            .returning(),
          db()
            .select({ id: sessions.id })
            .from(sessions)
            .where(and(eq(sessions.userId, id), isNull(sessions.revokedAt), gt(sessions.expiresAt, sql`now()`))),
          liveKeys(db(), id),
        ],
        { event: "role_changed", subject: { kind: "user", id }, details: { role }, when: userExists(id) },
      );
      if (!user) throw new ApiError("not_found", "No user with this id.");
      return { user, liveSessions: live.map((session) => session.id), keys: keys.map((key) => key.id) };
    },

    /**
     * Activates or deactivates a user. Deactivating also marks every session ended,
     * in the same request (one transaction); returns the sessions' ids and the unrevoked
     * keys' ids, for src/services/revocation.ts to carry the change to them.
     */
    async setActive(id: string, isActive: boolean): Promise<{ user: User; endedSessions: string[]; keys: string[] }> {
      const update = db()
        .update(users)
        .set({ isActive, accessVersion: nextAccessVersion, updatedAt: sql`now()` })
        .where(eq(users.id, id))
        .returning();
      const notFound = () => new ApiError("not_found", "No user with this id.");
      const change = isActive ? "reactivated" : "deactivated";
      const [[user], ended, keys] = await audit.change(
        db(),
        [update, endedSessions(db(), change, id), liveKeys(db(), id)],
        {
          event: isActive ? "user_activated" : "user_deactivated",
          subject: { kind: "user", id },
          when: userExists(id),
        },
      );
      if (!user) throw notFound();
      return { user, endedSessions: ended.map((session) => session.id), keys: keys.map((key) => key.id) };
    },

    /**
     * Stores a new password hash and marks every other session of the user ended,
     * in one request; returns the ended sessions' ids.
     */
    async changePassword(id: string, passwordHash: string, keepSession: string): Promise<string[]> {
      const [, ended] = await audit.change(
        db(),
        [
          db().update(users).set({ passwordHash, updatedAt: sql`now()` }).where(eq(users.id, id)),
          endedSessions(db(), "password_changed", id, keepSession),
        ],
        { event: "password_changed", actor: { kind: "user", id } },
      );
      return ended.map((session) => session.id);
    },
  };
}

export type UserService = ReturnType<typeof createUserService>;
