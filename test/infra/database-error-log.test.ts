import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { exampleRouters } from "../../src/examples/index.ts";
import { createRouter } from "../../src/http/router.ts";
import { v1Routers } from "../../src/routes/index.ts";
import {
  createKey,
  createUser,
  expectProblem,
  injectFault,
  login,
  logLines,
  requestApp,
  requestJson,
  withKey,
} from "../support/harness.ts";

/**
 * Drizzle's error message is the failed SQL with its parameters, and a Postgres message
 * can quote a refused value: the logs get the error's classes and SQLSTATE only.
 */

/** A marker unique to this test, put into every parameter of the failing query. */
const marker = () => `logsecret${crypto.randomUUID().slice(0, 8)}`;

/** The log lines printed while `run` ran with this file's database down. */
async function linesWithDatabaseDown(run: () => Promise<unknown>) {
  const { heal } = await injectFault({ down: true });
  try {
    return await logLines(run);
  } finally {
    await heal();
  }
}

function expectNoneLogged(lines: Record<string, unknown>[], values: string[]) {
  const text = JSON.stringify(lines);
  expect(lines.length).toBeGreaterThan(0);
  for (const value of [...values, "Failed query", "params:", "$argon2id$"]) expect(text).not.toContain(value);
}

// A route that writes a session row as login does, with values from headers and a user
// id Postgres refuses. The address comes from its own header, as the request log line
// rightly shows the client's.
const sessionWrite = createRouter();
sessionWrite.post("/session-write", async (c) => {
  await c.var.services.db.execute(sql`
    INSERT INTO sessions (id, user_id, refresh_token_hash, user_agent, ip, expires_at)
    VALUES (gen_random_uuid(), ${c.req.header("X-User-Id")}, ${c.req.header("X-Token-Hash")},
      ${c.req.header("User-Agent")}, ${c.req.header("X-Session-Ip")}, now())`);
  return c.body(null, 204);
});
const app = createApp([...v1Routers, ...exampleRouters, sessionWrite]);

describe("database errors in the log", () => {
  it("register with the database down: 503, logged by class, never the email, username, name or password hash", async () => {
    const secret = marker();
    const body = {
      email: `${secret}@example.com`,
      username: secret,
      name: `Name ${secret}`,
      password: `password ${secret}`,
    };
    let response = new Response();
    const lines = await linesWithDatabaseDown(async () => {
      response = await requestJson("POST", "/v1/auth/register", body);
    });
    await expectProblem(response, 503, "database_unavailable");
    // The account and its verification token are one batch, whose errors drizzle does not wrap.
    expect(lines.find((line) => line.event === "database_unavailable")).toMatchObject({ error: "NeonDbError" });
    expectNoneLogged(lines, [secret]);
  });

  it("login with the database down: 503, never the login", async () => {
    const user = await createUser();
    let response = new Response();
    const lines = await linesWithDatabaseDown(async () => {
      response = await requestJson("POST", "/v1/auth/login", { login: user.email, password: user.password });
    });
    await expectProblem(response, 503, "database_unavailable");
    expectNoneLogged(lines, [user.email, user.username, user.password]);
  });

  it("a value Postgres refuses: 500, logged by class and SQLSTATE, never the user agent, IP or token hash", async () => {
    const secret = marker();
    const headers = {
      "X-User-Id": `not-a-uuid-${secret}`,
      "X-Token-Hash": `hash-${secret}`,
      "User-Agent": `Browser/${secret}`,
      "X-Session-Ip": "203.0.113.251",
    };
    let response = new Response();
    const lines = await logLines(async () => {
      response = await requestApp(app, "/v1/session-write", { method: "POST", headers });
    });
    await expectProblem(response, 500, "internal");
    // 22P02: invalid_text_representation, the refused uuid.
    expect(lines.find((line) => line.event === "unhandled_error")).toEqual(
      expect.objectContaining({ error: "DrizzleQueryError > NeonDbError", sqlstate: "22P02" }),
    );
    expect(lines.find((line) => line.event === "unhandled_error")).not.toHaveProperty("stack");
    expectNoneLogged(lines, [secret, "203.0.113.251"]);
  });

  it("key usage lost while the database is down is logged by class, without the client's IP", async () => {
    const { access_token } = await login(await createUser());
    const { key } = await createKey(access_token);
    const use = () =>
      requestApp(app, "/v1/protected/service", { headers: { ...withKey(key), "CF-Connecting-IP": "198.51.100.251" } });
    // The first use caches the verification, so the second one needs no query to answer.
    expect((await use()).status).toBe(200);
    let response = new Response();
    const lines = await linesWithDatabaseDown(async () => {
      response = await use();
    });
    expect(response.status).toBe(200);
    // A batch's error is the driver's own, unwrapped.
    expect(lines.find((line) => line.event === "api_key_usage_lost")).toEqual(
      expect.objectContaining({ entries: 1, error: "NeonDbError" }),
    );
    // The request line shows the client's address by design; no other line may.
    expectNoneLogged(
      lines.filter((line) => line.event !== "request"),
      ["198.51.100.251", key],
    );
  });
});
