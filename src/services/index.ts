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

/** A value made by `make` on first call, then kept. */
function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= make();
    return value;
  };
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
  // Each service is built on first use: most requests touch one or two of them.
  const users = lazy(() => createUserService(database));
  const sessions = lazy(() => createSessionService(env, database, accessTokens, request.logger));
  const accounts = lazy(() =>
    createAccountService(env, { users: users(), sessions: sessions(), apiKeys: apiKeys() }, request.logger),
  );
  const apiKeys = lazy(() => createApiKeyService(env, database, request.logger));
  const notes = lazy(() => createNoteService(database));
  const employees = lazy(() => createEmployeeService(database));
  const analytics = lazy(() => createAnalytics(request.logger));
  return {
    get db() {
      return database();
    },
    accessTokens,
    get users() {
      return users();
    },
    get accounts() {
      return accounts();
    },
    get sessions() {
      return sessions();
    },
    get apiKeys() {
      return apiKeys();
    },
    get notes() {
      return notes();
    },
    get employees() {
      return employees();
    },
    get analytics() {
      return analytics();
    },
  };
}
