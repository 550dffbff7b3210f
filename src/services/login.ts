import { ApiError, emailNotVerified } from "../core/errors.ts";
import { hashPassword } from "../credentials/argon2id-wasm.ts";
import { needsRehash } from "../credentials/passwords.ts";
import type { User } from "../db/schema/index.ts";
import type { Analytics } from "../observability/analytics.ts";
import type { Audit } from "./audit.ts";
import { type FactorAttempt, type FactorAttempts, passwordAttempt } from "./factor-attempts.ts";
import type { MfaService } from "./mfa.ts";
import type { ClientInfo, SessionService, TokenPair } from "./sessions.ts";
import type { UserService } from "./users.ts";

/** How a login answers: bearer tokens in JSON, or cookies. The OAuth2 password grant takes tokens only. */
export type LoginFlow = "bearer" | "cookie";

/** Where a login ends: a session, or for an account with a second factor the `mfa_token` of its second step. */
export type LoginOutcome = { tokens: TokenPair } | { mfaToken: string };

/** Factors that prove the second factor on their own: a passkey, with user verification; the second step's codes. */
const MULTI_FACTOR = new Set<FactorAttempt["method"]>(["passkey", "totp", "recovery_code"]);

/**
 * Every way to sign in, through one pipeline (docs/architecture.md, "One login pipeline"):
 *
 * 1. admit and verify one factor (`FactorAttempt`: the account lock, then the factor's
 *    own check; a refusal is one `login_failure` event);
 * 2. the email-verification rule (REQUIRE_EMAIL_VERIFICATION), only after the factor
 *    was right, so an unverified account tells a guesser nothing;
 * 3. the second factor, when the account has one and the factor is not itself
 *    multi-factor: an `mfa_token` for `/v1/auth/mfa/verify`, whose code comes back here;
 * 4. the session (`login_success`), replacing an outdated password hash in its statement.
 *
 * The per-IP `login` bucket admits the request before any of this (src/routes/index.ts,
 * ROUTE_BUCKETS). A new way to sign in is one factor verifier and one call to `logIn`.
 *
 * @example
 * const outcome = await services.login.withPassword(login, password, { ip, userAgent }, "bearer");
 */
export function createLoginService({
  requireEmailVerification,
  attempts,
  users,
  sessions,
  mfa,
  audit,
  analytics,
}: {
  requireEmailVerification: boolean;
  attempts: FactorAttempts;
  users: UserService;
  sessions: SessionService;
  mfa: MfaService;
  audit: Audit;
  analytics: Analytics;
}) {
  const refused = (user: User, reason: string) =>
    audit.record({
      event: "login_failure",
      outcome: "failure",
      actor: { kind: "anonymous" },
      subject: { kind: "user", id: user.id },
      details: { reason },
    });

  /**
   * The pipeline. `flow: "oauth2"` is the OAuth2 password grant, which cannot carry a
   * second step: an account with a second factor is refused there (400 `mfa_required`).
   */
  async function logIn(
    attempt: FactorAttempt,
    client: ClientInfo,
    flow: LoginFlow | "oauth2",
    passwordUpgrade?: () => Promise<string | undefined>,
  ): Promise<LoginOutcome> {
    const user = await attempts.prove(attempt, client.ip);

    if (requireEmailVerification && user.emailVerifiedAt === null) {
      refused(user, "email_not_verified");
      throw emailNotVerified();
    }

    if (user.totpSecret && !MULTI_FACTOR.has(attempt.method)) {
      if (flow === "oauth2") {
        throw new ApiError(
          "mfa_required",
          "This account has a second factor, which the OAuth2 password grant cannot carry: log in with /v1/auth/login and /v1/auth/mfa/verify.",
        );
      }
      audit.record({ event: "login_mfa_required", actor: { kind: "user", id: user.id } });
      return { mfaToken: await mfa.challenge(user, flow) };
    }

    const upgrade = await passwordUpgrade?.();
    const tokens = await sessions.start(user, client, { method: attempt.method, passwordUpgrade: upgrade });
    analytics.track("user_logged_in", {}, user.id);
    return { tokens };
  }

  /** A login by email or username and password. */
  async function withPassword(login: string, password: string, client: ClientInfo, flow: LoginFlow | "oauth2") {
    const user = await users.findByLogin(login);
    const rehash = async () => (user && needsRehash(user.passwordHash) ? hashPassword(password) : undefined);
    return logIn(passwordAttempt(user, login, password), client, flow, rehash);
  }

  return {
    logIn,
    withPassword,

    /** The OAuth2 password grant (RFC 6749 §4.3): tokens only, since `logIn` refuses it a second step. */
    async passwordGrant(login: string, password: string, client: ClientInfo): Promise<TokenPair> {
      return ((await withPassword(login, password, client, "oauth2")) as { tokens: TokenPair }).tokens;
    },
  };
}

export type LoginService = ReturnType<typeof createLoginService>;
