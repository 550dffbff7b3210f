import { ApiError } from "../core/errors.ts";
import type { Audit } from "./audit.ts";
import { type FactorAttempt, type FactorAttempts, passwordAttempt } from "./factor-attempts.ts";
import type { Holder, MfaService } from "./mfa.ts";
import type { PasskeyAssertion, PasskeyService } from "./passkeys.ts";
import type { SessionService } from "./sessions.ts";
import type { UserService } from "./users.ts";

/** What proves the holder of a session again: the password, a current TOTP code, or a passkey assertion. */
export type Proof = { password: string } | { code: string } | { passkey: PasskeyAssertion };

const refused = () => new ApiError("invalid_credentials", "That does not prove it is you.");

/**
 * Re-authentication (ASVS 7.5.1): the session's holder proves who they are again, and
 * the session may then make the sensitive changes of docs/api.md, "Re-authentication",
 * for REAUTH_WINDOW_SECONDS (src/http/recent-auth.ts checks it). Every proof is a factor
 * attempt (src/services/factor-attempts.ts), in the account lock as the login it stands in for.
 */
export function createReauthenticationService({
  windowSeconds,
  passkeysEnabled,
  users,
  mfa,
  passkeys,
  sessions,
  attempts,
  audit,
}: {
  windowSeconds: number;
  passkeysEnabled: boolean;
  users: UserService;
  mfa: MfaService;
  passkeys: PasskeyService;
  sessions: SessionService;
  attempts: FactorAttempts;
  audit: Audit;
}) {
  /** The factor attempt `proof` makes on the holder's account. */
  async function attemptOf(holder: Holder, proof: Proof): Promise<FactorAttempt> {
    if ("code" in proof) return mfa.codeProof(holder.userId, proof.code);
    if ("passkey" in proof) {
      if (!passkeysEnabled) throw new ApiError("not_found", "Passkeys are not enabled.");
      return passkeys.loginAttempt(proof.passkey);
    }
    const user = await users.findActive(holder.userId);
    if (!user) throw new ApiError("unauthorized", "The account is not active.");
    return passwordAttempt(user, user.id, proof.password, refused);
  }

  return {
    /** Checks `proof` and marks the session re-authenticated; returns until when it may make sensitive changes. */
    async reauthenticate(holder: Holder, proof: Proof): Promise<Date> {
      const attempt = await attemptOf(holder, proof);
      const user = await attempts.prove(attempt, holder.ip, "reauthentication_failure");
      // A passkey names its own account: another account's passkey proves nothing here.
      if (user.id !== holder.userId) {
        audit.record({
          event: "reauthentication_failure",
          outcome: "failure",
          actor: { kind: "user", id: holder.userId },
          details: { method: attempt.method, reason: "another_account" },
        });
        throw refused();
      }
      if (!(await sessions.reauthenticated(holder.sessionId))) {
        throw new ApiError("unauthorized", "The session has ended; log in again.");
      }
      audit.record({
        event: "reauthenticated",
        actor: { kind: "user", id: user.id },
        details: { method: attempt.method },
      });
      return new Date(Date.now() + windowSeconds * 1000);
    },
  };
}

export type ReauthenticationService = ReturnType<typeof createReauthenticationService>;
