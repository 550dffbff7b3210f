import { type AccessTokens, issueAccessToken, verifyAccessToken } from "../auth/access-tokens.ts";
import { createDatabase, type Database } from "../db/client.ts";
import type { Bindings } from "../env.ts";
import { type Analytics, createAnalytics } from "../observability/analytics.ts";
import type { Logger } from "../observability/logger.ts";
import { type AccountService, createAccountService } from "./accounts.ts";
import { type ApiKeyService, createApiKeyService } from "./api-keys.ts";
import { createEmployeeService, type EmployeeService } from "./employees.ts";
import { createNoteService, type NoteService } from "./notes.ts";
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
  readonly notes: NoteService;
  readonly employees: EmployeeService;
  readonly analytics: Analytics;
}

export interface RequestContext {
  /** The access tokens' `iss`: JWT_ISSUER, else the origin the request came to. */
  issuer: string;
  logger: Logger;
}

/**
 * An object whose every property is made by its maker on first read, then kept: most
 * requests touch one or two services, so the rest are never built.
 */
function builtOnFirstUse<T extends object>(makers: { [K in keyof T]: () => T[K] }): T {
  const built = {} as T;
  for (const name of Object.keys(makers) as (keyof T)[]) {
    let value: T[typeof name] | undefined;
    Object.defineProperty(built, name, { enumerable: true, get: () => (value ??= makers[name]()) });
  }
  return built;
}

export function createServices(env: Bindings, request: RequestContext): Services {
  let db: Database | undefined;
  const database = () => {
    db ??= createDatabase(env.DATABASE_URL, env.DATABASE_TIMEOUT_MS);
    return db;
  };
  const accessTokens: AccessTokens = {
    issue: (claims) => issueAccessToken(env, request.issuer, claims),
    verify: (token) => verifyAccessToken(env, request.issuer, token),
  };
  const services: Services = builtOnFirstUse<Services>({
    db: database,
    accessTokens: () => accessTokens,
    users: () => createUserService(database),
    sessions: () => createSessionService(env, database, accessTokens, request.logger),
    accounts: () => createAccountService(env, services, request.logger),
    apiKeys: () => createApiKeyService(env, database, request.logger),
    notes: () => createNoteService(database),
    employees: () => createEmployeeService(database),
    analytics: () => createAnalytics(request.logger),
  });
  return services;
}
