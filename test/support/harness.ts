/**
 * The integration harness: requests to the real Worker inside workerd, the SQL
 * request count of this file's own database, and problem+json assertions.
 */
import { createExecutionContext, env, SELF, waitOnExecutionContext } from "cloudflare:test";
import { expect, inject, vi } from "vitest";
import type { ErrorCode } from "../../src/errors.ts";
import type { Router } from "../../src/router.ts";
import { testDatabase } from "../setup/database.ts";

export const ORIGIN = "https://gatehouse.test";

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

/** How many SQL-over-HTTP requests this file's database has served so far. */
export async function sqlRequests(): Promise<number> {
  const response = await fetch(`${inject("sqlEndpoint")}/databases/${testDatabase}/stats`);
  return ((await response.json()) as { sql_requests: number }).sql_requests;
}

/** Makes this file's database slow or unreachable until `heal()`. */
export async function injectFault(fault: { delay_ms?: number; down?: boolean }) {
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
