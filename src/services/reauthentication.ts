import type { Bindings } from "../core/env.ts";
import { ApiError } from "../core/errors.ts";
import type { Logger } from "../core/logger.ts";
import { verifyPassword } from "../credentials/argon2id-wasm.ts";
import { accountLock } from "../rate-limit/account-lock.ts";
import type { Holder, MfaService } from "./mfa.ts";
import type { PasskeyAssertion, PasskeyService } from "./passkeys.ts";
import type { SessionService } from "./sessions.ts";
import type { UserService } from "./users.ts";

/** What proves the holder of a session again: the password, a current TOTP code, or a passkey assertion. */
export type Proof = { password: string } | { code: string } | { passkey: PasskeyAssertion };

/**
 * Re-authentication (ASVS 7.5.1): the session's holder proves who they are again, and
 * the session may then make the sensitive changes of docs/api.md, "Re-authentication",
 * for REAUTH_WINDOW_SECONDS (src/http/recent-auth.ts checks it). Every proof goes
 * through the account lock, as the login it stands in for does.
 */
export function createReauthenticationService(
  env: Bindings,
  {
    users,
    mfa,
    passkeys,
    sessions,
  }: { users: UserService; mfa: MfaService; passkeys: PasskeyService; sessions: SessionService },
  logger: Logger,
) {
  const refused = () => new ApiError("invalid_credentials", "That does not prove it is you.");

  /** Whether `proof` is the holder's; a wrong password or passkey throws, a wrong code throws `invalid_mfa_code`. */
  async function check(holder: Holder, proof: Proof): Promise<boolean> {
    const user = await users.findActive(holder.userId);
    if (!user) throw new ApiError("unauthorized", "The account is not active.");
    if ("password" in proof) {
      return accountLock(env, logger).attempt(
        `user:${user.id}`,
        holder.ip,
        "password",
        () => verifyPassword(proof.password, user.passwordHash),
        user.id,
      );
    }
    if ("code" in proof) {
      await mfa.proveCode(holder, proof.code);
      return true;
    }
    if (!env.PASSKEYS) throw new ApiError("not_found", "Passkeys are not enabled.");
    return (await passkeys.logIn(proof.passkey, holder.ip)).id === user.id;
  }

  return {
    /** Checks `proof` and marks the session re-authenticated; returns until when it may make sensitive changes. */
    async reauthenticate(holder: Holder, proof: Proof): Promise<Date> {
      const method = "password" in proof ? "password" : "code" in proof ? "totp" : "passkey";
      if (!(await check(holder, proof))) {
        logger.warn("reauthentication_failure", {
          security_event: true,
          ip: holder.ip,
          user_id: holder.userId,
          method,
        });
        throw refused();
      }
      if (!(await sessions.reauthenticated(holder.sessionId))) {
        throw new ApiError("unauthorized", "The session has ended; log in again.");
      }
      logger.info("reauthenticated", { security_event: true, ip: holder.ip, user_id: holder.userId, method });
      return new Date(Date.now() + env.REAUTH_WINDOW_SECONDS * 1000);
    },
  };
}

export type ReauthenticationService = ReturnType<typeof createReauthenticationService>;
