import type { Bindings } from "../core/env.ts";
import { ApiError } from "../core/errors.ts";
import type { Logger } from "../core/logger.ts";
import { hashPassword, verifyPassword } from "../credentials/argon2id-wasm.ts";
import type { User } from "../db/schema/index.ts";
import { accountLock } from "../rate-limit/account-lock.ts";
import type { ApiKeyService } from "./api-keys.ts";
import type { SessionService } from "./sessions.ts";
import { accessOf, type Role, type UserService } from "./users.ts";

/**
 * Account changes whose effect spans the database and the session objects. Each is
 * one method, so no caller can make the change and forget to carry it to the
 * sessions. Every step is idempotent: a request retried after its answer was lost
 * (the database committed, the reply timed out) finishes what the first one began.
 */
export function createAccountService(
  env: Bindings,
  { users, sessions, apiKeys }: { users: UserService; sessions: SessionService; apiKeys: ApiKeyService },
  logger: Logger,
) {
  return {
    /** Sets the user's role and carries it to every live session and key at once. */
    async changeRole(userId: string, role: Role): Promise<User> {
      const { user, liveSessions, keys } = await users.setRole(userId, role);
      await Promise.all([sessions.setAccess(liveSessions, accessOf(user)), apiKeys.invalidate(keys)]);
      return user;
    },

    /** Activates or deactivates the user; deactivating ends every session of theirs and stops their keys. */
    async setActive(userId: string, isActive: boolean): Promise<{ user: User; sessionsEnded: number }> {
      const { user, endedSessions, keys } = await users.setActive(userId, isActive);
      await Promise.all([sessions.endFamilies(endedSessions), apiKeys.invalidate(keys)]);
      return { user, sessionsEnded: endedSessions.length };
    },

    /**
     * Changes the password of the session holder after checking the current one, and
     * ends every other session of theirs. Wrong current passwords count toward the
     * account's failed-login lock, each comparison one attempt. A retry whose `newPassword` is already the stored
     * one (its first try committed but never answered) only ends the sessions again.
     */
    async changePassword(
      holder: { userId: string; sessionId: string; ip: string | undefined },
      currentPassword: string,
      newPassword: string,
    ): Promise<{ sessionsEnded: number }> {
      const user = await users.findActive(holder.userId);
      if (!user) throw new ApiError("unauthorized", "The account is not active.");
      const lock = accountLock(env, logger);
      const account = `user:${user.id}`;
      // Each comparison with the stored hash is one attempt in the lock, the retry's too.
      const matches = (password: string) =>
        lock.attempt(account, holder.ip, "password", () => verifyPassword(password, user.passwordHash), user.id);
      if (await matches(currentPassword)) {
        const ended = await users.changePassword(user.id, await hashPassword(newPassword), holder.sessionId);
        await sessions.endFamilies(ended);
        return { sessionsEnded: ended.length };
      }
      if (await matches(newPassword)) {
        return { sessionsEnded: await sessions.endAllFor(user.id, { except: holder.sessionId }) };
      }
      logger.warn("password_change_failure", { security_event: true, ip: holder.ip, user_id: user.id });
      throw new ApiError("invalid_credentials", "The current password is wrong.");
    },
  };
}

export type AccountService = ReturnType<typeof createAccountService>;
