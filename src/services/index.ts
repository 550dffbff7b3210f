import type { Bindings } from "../core/env.ts";
import type { Logger } from "../core/logger.ts";
import { type AccessTokens, issueAccessToken, verifyAccessToken } from "../credentials/access-tokens.ts";
import { createDatabase, type Database } from "../db/client.ts";
import { cloudflareEmailSender } from "../email/sender.ts";
import { type Analytics, createAnalytics } from "../observability/analytics.ts";
import { type AccountEmailService, createAccountEmailService } from "./account-emails.ts";
import { type AccountService, createAccountService } from "./accounts.ts";
import { type ApiKeyService, createApiKeyService } from "./api-keys.ts";
import { createMfaService, type MfaService } from "./mfa.ts";
import { createPasskeyService, type PasskeyService } from "./passkeys.ts";
import { createReauthenticationService, type ReauthenticationService } from "./reauthentication.ts";
import { createSessionService, type SessionService } from "./sessions.ts";
import { createUserService, type UserService } from "./users.ts";

/** What handlers use, built once per request by the `services` middleware. */
export interface Services {
  /** Created on first use, so requests that never query pay nothing for it. */
  readonly db: Database;
  readonly accessTokens: AccessTokens;
  readonly users: UserService;
  /** Role, activation and password changes, each carried to the user's sessions. */
  readonly accounts: AccountService;
  readonly sessions: SessionService;
  readonly apiKeys: ApiKeyService;
  /** Password reset and email verification, by email; a reset of a never-verified address ends every credential. */
  readonly accountEmails: AccountEmailService;
  /** The second factor: enrolment, the login's second step, an administrator's reset. */
  readonly mfa: MfaService;
  /** Passkeys (WebAuthn): registration, the user's list, passwordless login. */
  readonly passkeys: PasskeyService;
  /** A session's holder proving who they are again, before sensitive changes. */
  readonly reauthentication: ReauthenticationService;
  readonly analytics: Analytics;
}

export interface RequestContext {
  env: Bindings;
  /** The access tokens' `iss`: JWT_ISSUER, else the origin the request came to. */
  issuer: () => string;
  logger: Logger;
  /** Keeps work going after the response (emails, usage records). */
  waitUntil: (promise: Promise<unknown>) => void;
}

/** How each service is made from the request's context and the services made so far. */
type Makers = { [K in keyof Services]: (request: RequestContext, services: Services) => Services[K] };

const MAKERS: Makers = {
  db: ({ env }) => createDatabase(env.DATABASE_URL, env.DATABASE_TIMEOUT_MS),
  accessTokens: ({ env, issuer }) => ({
    issue: (claims) => issueAccessToken(env, issuer(), claims),
    verify: (token) => verifyAccessToken(env, issuer(), token),
  }),
  users: (_, services) => createUserService(() => services.db),
  sessions: ({ env, logger }, services) => createSessionService(env, () => services.db, services.accessTokens, logger),
  accounts: ({ env, logger }, services) => createAccountService(env, services, logger),
  apiKeys: ({ env, logger }, services) => createApiKeyService(env, () => services.db, logger),
  accountEmails: ({ env, logger, waitUntil }, services) =>
    createAccountEmailService(
      env,
      () => services.db,
      services,
      cloudflareEmailSender(env.EMAIL, env.EMAIL_FROM, { waitUntil }, logger, { printText: !env.isProduction }),
      logger,
    ),
  mfa: ({ env, logger }, services) => createMfaService(env, () => services.db, services.sessions, logger),
  passkeys: ({ env, logger }, services) => createPasskeyService(env, () => services.db, logger),
  reauthentication: ({ env, logger }, services) => createReauthenticationService(env, services, logger),
  analytics: ({ logger }) => createAnalytics(logger),
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
