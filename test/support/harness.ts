/**
 * The integration harness: requests to the real Worker inside workerd, the SQL
 * request count of this file's own database, and problem+json assertions.
 */
import { createExecutionContext, env, SELF, waitOnExecutionContext } from "cloudflare:test";
import { waitForGlobalWaitUntil } from "cloudflare:test-internal";
import { expect, inject, vi } from "vitest";
import type { ErrorCode } from "../../src/core/errors.ts";
import { createDatabase } from "../../src/db/client.ts";
import type { Router } from "../../src/http/router.ts";
import { testDatabase } from "../setup/database.ts";

export const ORIGIN = "https://gatehouse.test";

/** Settings a real production deployment would have, for `requestApp`: every check passes. */
export const PRODUCTION = {
  ENVIRONMENT: "production",
  DATABASE_URL: "postgres://app_user:Zx81pQ0vLr7@ep-quiet-sun-123456.eu-central-1.aws.neon.tech/gatehouse",
  ADMIN_SECRET: "kY3v9QpL2mX8rT5wN1bZ7cF4hJ6dS0aG",
  COOKIE_PREFIX: "acme_auth",
  SECURITY_CONTACT: "mailto:security@acme.example",
  CORS_ORIGINS: "https://app.acme.example",
  EMAIL_FROM: "accounts@acme.example",
  APP_URL: "https://app.acme.example",
  RP_ID: "acme.example",
  RP_ORIGINS: "https://app.acme.example,https://acme.example",
};

/** A request to the deployed entry point (`src/index.ts`), as a client would make it. */
export function request(path: string, init?: RequestInit): Promise<Response> {
  return SELF.fetch(new URL(path, ORIGIN), init);
}

/**
 * A request to another build of the app (extra routers) or to the app under other
 * bindings (production settings), still inside workerd with the real bindings.
 */
export async function requestApp(
  app: Router,
  path: string,
  init?: RequestInit,
  bindings: Record<string, unknown> = {},
): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await app.fetch(new Request(new URL(path, ORIGIN), init), { ...env, ...bindings }, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

/**
 * Waits until every request made so far has finished its work after the response: its
 * `waitUntil` promises (the batched usage and audit rows of src/db/write-behind.ts, emails).
 * `SELF.fetch` answers before that work ends, and the pool's public API can only wait on
 * contexts a test made itself, so this waits on the pool's own record of every `waitUntil`.
 */
export const afterResponses = (): Promise<void> => waitForGlobalWaitUntil();

/**
 * How many SQL-over-HTTP requests this file's database has served, counted once every
 * earlier request's after-response writes have landed. Two counts around a request thus
 * differ by exactly that request's round trips, its own after-response writes included,
 * never by a write an earlier request's batch flushed late.
 */
export async function sqlRequests(): Promise<number> {
  await afterResponses();
  const response = await fetch(`${inject("sqlEndpoint")}/databases/${testDatabase}/stats`);
  return ((await response.json()) as { sql_requests: number }).sql_requests;
}

/** A fault of the local SQL endpoint (scripts/sql-over-http/server.ts). */
export interface DatabaseFault {
  delay_ms?: number;
  down?: boolean;
  fail_batch_statement?: number;
  drop_batch_reply?: boolean;
}

/** Makes this file's database slow, unreachable, fail batches, or lose their replies, until `heal()`. */
export async function injectFault(fault: DatabaseFault) {
  const url = `${inject("sqlEndpoint")}/databases/${testDatabase}/fault`;
  await fetch(url, { method: "PUT", body: JSON.stringify(fault) });
  return { heal: () => fetch(url, { method: "DELETE" }).then(() => undefined) };
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  request_id: string;
  errors?: { path: string; message: string }[];
}

/** Asserts `response` is a problem document with `status` and `code`, and returns it. */
export async function expectProblem(response: Response, status: number, code: ErrorCode): Promise<Problem> {
  expect(response.status).toBe(status);
  expect(response.headers.get("Content-Type")).toBe("application/problem+json");
  const body = (await response.json()) as Problem;
  expect(body).toMatchObject({ status, code, type: `https://gatehouse.dev/problems/${code}` });
  expect(body.title).toEqual(expect.any(String));
  expect(body.detail).toEqual(expect.any(String));
  expect(body.request_id).toBe(response.headers.get("X-Request-ID"));
  return body;
}

/** The JSON log lines the Worker printed while `run` ran. */
export async function logLines(run: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const printed: string[] = [];
  for (const method of ["log", "warn", "error"] as const) {
    vi.spyOn(console, method).mockImplementation((line: unknown) => printed.push(String(line)));
  }
  await run();
  vi.restoreAllMocks();
  return printed.map((line) => JSON.parse(line) as Record<string, unknown>);
}

let ipCounter = 0;
/** A client address no other test uses, so per-IP rate limits never couple tests. */
export function freshIp(): string {
  ipCounter += 1;
  return `10.${Math.floor(Math.random() * 250)}.${Math.floor(ipCounter / 250) % 250}.${ipCounter % 250}`;
}

/** A JSON request from its own client address; `headers` adds to or overrides the defaults. */
export function requestJson(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return request(path, {
    method,
    headers: {
      "CF-Connecting-IP": freshIp(),
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

export interface TestUser {
  id: string;
  email: string;
  username: string;
  password: string;
}

export interface TokenPair {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token: string;
  refresh_expires_in: number;
}

/** Registers a user with unique email and username through the API. */
export async function createUser(): Promise<TestUser> {
  const suffix = crypto.randomUUID().slice(0, 8);
  const user = { email: `user-${suffix}@example.com`, username: `user_${suffix}`, password: `pw-${suffix}-long` };
  const response = await requestJson("POST", "/v1/auth/register", user);
  expect(response.status).toBe(201);
  const { id } = (await response.json()) as { id: string };
  return { id, ...user };
}

/** Logs `user` in with `/v1/auth/login` and returns the tokens. */
export async function login(user: Pick<TestUser, "email" | "password">, headers: Record<string, string> = {}) {
  const response = await requestJson("POST", "/v1/auth/login", { login: user.email, password: user.password }, headers);
  expect(response.status).toBe(200);
  return (await response.json()) as TokenPair;
}

/** A user who is an admin, promoted with the admin secret. */
export async function createAdmin(): Promise<TestUser & { tokens: TokenPair }> {
  const user = await createUser();
  const promoted = await requestJson("PATCH", `/v1/admin/users/${user.id}/role`, { role: "admin" }, adminSecret());
  expect(promoted.status).toBe(200);
  return { ...user, tokens: await login(user) };
}

export const adminSecret = () => ({ "X-Admin-Secret": env.ADMIN_SECRET });

/** Direct SQL on this file's database, for reading what the API wrote (never for the API's own work). */
export const database = () => createDatabase(env.DATABASE_URL, 5_000);

export interface CreatedKey {
  id: string;
  key: string;
  name: string;
  start: string;
  scopes: string[];
  user_id: string | null;
  expires_at: string | null;
  rate_limit_per_minute: number;
}

/** Creates an API key with `/v1/keys` as the user of `accessToken`. */
export async function createKey(accessToken: string, body: Record<string, unknown> = {}): Promise<CreatedKey> {
  const response = await requestJson(
    "POST",
    "/v1/keys",
    { name: `key-${crypto.randomUUID().slice(0, 8)}`, ...body },
    bearer(accessToken),
  );
  expect(response.status).toBe(201);
  return (await response.json()) as CreatedKey;
}

export const withKey = (key: string) => ({ "x-api-key": key });

/** Waits until `check` passes (for work done after the response, such as usage recording). */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
