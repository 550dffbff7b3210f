import { ApiError } from "../core/errors.ts";
import { hashPassword } from "../credentials/argon2id-wasm.ts";
import type { User } from "../db/schema/index.ts";
import { type FactorAttempts, passwordAttempt } from "./factor-attempts.ts";
import type { Holder } from "./mfa.ts";
import type { Revocation } from "./revocation.ts";
import { accessOf, type Role, type UserService } from "./users.ts";

const wrongPassword = () => new ApiError("invalid_credentials", "The current password is wrong.");

/**
 * Account changes whose effect spans the database and the objects: each is one method,
 * its statement returns what it ended, and src/services/revocation.ts carries it on, so
 * no caller can make the change and forget its sessions or keys. Every step is
 * idempotent: a request retried after its answer was lost (the database committed, the
 * reply timed out) finishes what the first one began.
 */
export function createAccountService({
  users,
  revocation,
  attempts,
}: {
  users: UserService;
  revocation: Revocation;
  attempts: FactorAttempts;
}) {
  return {
    /** Sets the user's role and carries it to every live session and key at once. */
    async changeRole(userId: string, role: Role): Promise<User> {
      const { user, liveSessions, keys } = await users.setRole(userId, role);
      await revocation.carry("role_changed", {
        userId,
        keys,
        access: { sessions: liveSessions, access: accessOf(user) },
      });
      return user;
    },

    /** Activates or deactivates the user; deactivating ends every session of theirs and stops their keys. */
    async setActive(userId: string, isActive: boolean): Promise<User> {
      const { user, endedSessions, keys } = await users.setActive(userId, isActive);
      await revocation.carry(isActive ? "reactivated" : "deactivated", { userId, sessions: endedSessions, keys });
      return user;
    },

    /**
     * Changes the password of the session holder after checking the current one, and
     * ends every other session of theirs. Each comparison with the stored hash is one
     * attempt in the account lock. A retry whose `newPassword` is already the stored one
     * (its first try committed but never answered) only ends the sessions again.
     */
    async changePassword(holder: Holder, currentPassword: string, newPassword: string): Promise<void> {
      const user = await users.findActive(holder.userId);
      if (!user) throw new ApiError("unauthorized", "The account is not active.");
      const current = await attempts.decide(passwordAttempt(user, user.id, currentPassword), holder.ip);
      const stored =
        "user" in current
          ? await hashPassword(newPassword)
          : (
              await attempts.prove(
                passwordAttempt(user, user.id, newPassword, wrongPassword),
                holder.ip,
                "password_change_failure",
              )
            ).passwordHash;
      const ended = await users.changePassword(user.id, stored, holder.sessionId);
      await revocation.carry("password_changed", { userId: user.id, sessions: ended });
    },
  };
}

export type AccountService = ReturnType<typeof createAccountService>;
