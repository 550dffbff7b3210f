import { createUsageWriter, type UsageEntry } from "../api-keys/usage-recorder.ts";
import { VerificationCache } from "../api-keys/verification-cache.ts";
import type { Bindings } from "../core/env.ts";
import type { Logger } from "../core/logger.ts";
import { type AccessTokens, issueAccessToken, verifyAccessToken } from "../credentials/access-tokens.ts";
import type { Auth } from "../credentials/principal.ts";
import { createDatabase, type Database } from "../db/client.ts";
import { cloudflareEmailSender } from "../email/sender.ts";
import { type Analytics, createAnalytics } from "../observability/analytics.ts";
import { type AccountLock, accountLock } from "../rate-limit/account-lock.ts";
import { type LimiterRpc, limiterRpc } from "../rate-limit/limiter-rpc.ts";
import { type AccountEmailService, createAccountEmailService } from "./account-emails.ts";
import { type AccountService, createAccountService } from "./accounts.ts";
import { type ApiKeyService, createApiKeyService } from "./api-keys.ts";
import { type Audit, createAudit, createAuditWriter } from "./audit.ts";
import { type AuditTrail, createAuditTrail } from "./audit-trail.ts";
import { createFactorAttempts, type FactorAttempts } from "./factor-attempts.ts";
import { createLoginService, type LoginService } from "./login.ts";
import { createMfaService, type MfaService } from "./mfa.ts";
import { createPasskeyService, type PasskeyService } from "./passkeys.ts";
import { createReauthenticationService, type ReauthenticationService } from "./reauthentication.ts";
import { createRevocation, type Revocation } from "./revocation.ts";
import { createSessionService, type SessionService } from "./sessions.ts";
import { createUserService, type UserService } from "./users.ts";

/** What handlers use, built once per request by the `services` middleware. */
export interface Services {
  /** Created on first use, so requests that never query pay nothing for it. */
  readonly db: Database;
  readonly accessTokens: AccessTokens;
  /** The RateLimiter objects, reached by subject with an outage policy. */
  readonly limiter: LimiterRpc;
  /** The failed-attempt lock of every account. */
  readonly lock: AccountLock;
  /** Every security event, to the log and to `audit_events`. */
  readonly audit: Audit;
  /** One factor attempt admitted, checked and recorded the same way for every purpose. */
  readonly attempts: FactorAttempts;
  /** Every way to sign in: factor → email rule → second factor → session. */
  readonly login: LoginService;
  readonly users: UserService;
  /** What an account event ends, carried to the session and key objects (docs/architecture.md, "What ends when"). */
  readonly revocation: Revocation;
  /** Role, activation and password changes, each carried on by `revocation`. */
  readonly accounts: AccountService;
  readonly sessions: SessionService;
  readonly apiKeys: ApiKeyService;
  /** A key's use, written after the response with the isolate's other uses. */
  readonly usage: { record(entry: UsageEntry): void };
  /** Password reset and email verification, by email; a reset of a never-verified address ends every credential. */
  readonly accountEmails: AccountEmailService;
  /** The second factor: enrolment, the login's second step, an administrator's reset. */
  readonly mfa: MfaService;
  /** Passkeys (WebAuthn): registration, the user's list, passwordless login. */
  readonly passkeys: PasskeyService;
  /** A session's holder proving who they are again, before sensitive changes. */
  readonly reauthentication: ReauthenticationService;
  readonly analytics: Analytics;
  /** The audit trail as users and operators read it, and its retention. */
  readonly auditTrail: AuditTrail;
}

export interface RequestContext {
  env: Bindings;
  /** The access tokens' `iss`: JWT_ISSUER, else the origin the request came to. */
  issuer: () => string;
  logger: Logger;
  /** Keeps work going after the response (emails, usage records, audit rows). */
  waitUntil: (promise: Promise<unknown>) => void;
  /** Who is asking, for the audit trail: the client's address (CF-Connecting-IP), its User-Agent, the request id. */
  client: { ip?: string | undefined; userAgent?: string | undefined; requestId?: string | undefined };
  /** Who the request acts for, once the guards know: an audit event's actor by default. */
  principal: () => Auth | undefined;
}

/**
 * State an isolate keeps between its requests, made once here and handed to the
 * services that share it: the cache of key verifications (read by every key request,
 * emptied by revocation), and the key usage and audit rows waiting to be written.
 */
const ISOLATE = { verificationCache: new VerificationCache(), usage: createUsageWriter(), audit: createAuditWriter() };

/** The named services of a request, made now (a getter each), for a service built on them. */
function pick<K extends keyof Services>(services: Services, ...names: K[]): Pick<Services, K> {
  return Object.fromEntries(names.map((name) => [name, services[name]])) as Pick<Services, K>;
}

/** How each service is made from the request's context and the services made so far. */
type Makers = { [K in keyof Services]: (request: RequestContext, services: Services) => Services[K] };

const MAKERS: Makers = {
  db: ({ env }) => createDatabase(env.DATABASE_URL, env.DATABASE_TIMEOUT_MS),
  accessTokens: ({ env, issuer }) => ({
    issue: (claims) => issueAccessToken(env, issuer(), claims),
    verify: (token) => verifyAccessToken(env, issuer(), token),
  }),
  limiter: ({ env, logger }, { audit }) => limiterRpc(env, logger, audit),
  lock: ({ env }, { limiter, audit }) => accountLock(env, limiter, audit),
  audit: ({ logger, client, principal, waitUntil }, services) =>
    createAudit({
      logger,
      client,
      principal,
      writer: ISOLATE.audit,
      flush: { db: () => services.db, logger, waitUntil },
    }),
  attempts: (_, { lock, audit }) => createFactorAttempts({ lock, audit }),
  login: ({ env }, services) =>
    createLoginService({
      requireEmailVerification: env.REQUIRE_EMAIL_VERIFICATION,
      ...pick(services, "attempts", "users", "sessions", "mfa", "audit", "analytics"),
    }),
  users: (_, services) => createUserService({ db: () => services.db, audit: services.audit }),
  revocation: (_, services) =>
    createRevocation({
      sessions: services.sessions,
      limiter: services.limiter,
      verificationCache: ISOLATE.verificationCache,
    }),
  sessions: ({ env, logger }, services) =>
    createSessionService({
      settings: env,
      db: () => services.db,
      accessTokens: services.accessTokens,
      logger,
      audit: services.audit,
    }),
  accounts: (_, services) => createAccountService(pick(services, "users", "revocation", "attempts")),
  apiKeys: ({ env }, services) =>
    createApiKeyService({
      settings: env,
      db: () => services.db,
      limiter: services.limiter,
      verificationCache: ISOLATE.verificationCache,
      revocation: services.revocation,
      audit: services.audit,
    }),
  usage: ({ logger, waitUntil }, services) => ({
    record: (entry) => ISOLATE.usage.record(entry, { db: () => services.db, logger, waitUntil }),
  }),
  accountEmails: ({ env, logger, waitUntil }, services) =>
    createAccountEmailService({
      appUrl: env.APP_URL,
      emailsPerAccountPerHour: env.EMAILS_PER_ADDRESS_PER_HOUR,
      db: () => services.db,
      limiter: services.limiter,
      sender: cloudflareEmailSender(
        env.EMAIL,
        env.EMAIL_FROM,
        { waitUntil },
        {
          logger,
          audit: services.audit,
          printText: !env.isProduction,
        },
      ),
      revocation: services.revocation,
      audit: services.audit,
    }),
  mfa: ({ env }, services) =>
    createMfaService({
      encryptionKey: env.MFA_ENCRYPTION_KEY,
      previousEncryptionKey: env.MFA_PREVIOUS_ENCRYPTION_KEY,
      db: () => services.db,
      revocation: services.revocation,
      attempts: services.attempts,
      audit: services.audit,
    }),
  passkeys: ({ env }, services) =>
    createPasskeyService({
      rp: { id: env.RP_ID, name: env.RP_NAME, origins: env.RP_ORIGINS },
      db: () => services.db,
      revocation: services.revocation,
      audit: services.audit,
    }),
  reauthentication: ({ env }, services) =>
    createReauthenticationService({
      windowSeconds: env.REAUTH_WINDOW_SECONDS,
      passkeysEnabled: env.PASSKEYS,
      ...pick(services, "users", "mfa", "passkeys", "sessions", "attempts", "audit"),
    }),
  analytics: ({ logger }) => createAnalytics(logger),
  auditTrail: (_, services) => createAuditTrail({ db: () => services.db }),
};

/**
 * The request's services, each made on first read and then kept: most requests touch
 * one or two, so the rest are never built. The lazy getters are defined once, on the
 * prototype, so a request pays for one small object, not for a property definition per service.
 */
class RequestServices {
  readonly #made: { -readonly [K in keyof Services]?: Services[K] } = {};

  constructor(readonly request: RequestContext) {}

  static {
    for (const name of Object.keys(MAKERS) as (keyof Services)[]) {
      Object.defineProperty(RequestServices.prototype, name, {
        enumerable: true,
        get(this: RequestServices) {
          this.#made[name] ??= MAKERS[name](this.request, this as unknown as Services) as never;
          return this.#made[name];
        },
      });
    }
  }
}

export function createServices(request: RequestContext): Services {
  return new RequestServices(request) as unknown as Services;
}
