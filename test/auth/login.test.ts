import { argon2id } from "@noble/hashes/argon2.js";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { formatPhc } from "../../src/credentials/passwords.ts";
import { users } from "../../src/db/schema/index.ts";
import {
  adminSecret,
  bearer,
  createUser,
  database,
  expectProblem,
  freshIp,
  logLines,
  request,
  requestApp,
  requestJson,
  sqlRequests,
  type TestUser,
  type TokenPair,
} from "../support/harness.ts";

const app = createApp();

/** A password login of `user` from `ip` under other settings (`bindings`). */
const loginFrom = (user: TestUser, password: string, ip: string, bindings: Record<string, string>) =>
  requestApp(
    app,
    "/v1/auth/login",
    {
      method: "POST",
      headers: { "Content-Type": "application/json", "CF-Connecting-IP": ip },
      body: JSON.stringify({ login: user.email, password }),
    },
    bindings,
  );

const form = (fields: Record<string, string>, headers: Record<string, string> = {}): RequestInit => ({
  method: "POST",
  headers: { "Content-Type": "application/x-www-form-urlencoded", "CF-Connecting-IP": freshIp(), ...headers },
  body: new URLSearchParams(fields).toString(),
});

async function expectTokenPair(response: Response): Promise<TokenPair> {
  expect(response.status).toBe(200);
  const tokens = (await response.json()) as TokenPair;
  expect(tokens).toMatchObject({ token_type: "bearer", expires_in: 900 });
  expect(tokens.refresh_expires_in).toBeGreaterThan(604_790);
  expect(tokens.access_token.split(".")).toHaveLength(3);
  const me = await requestJson("GET", "/v1/auth/me", undefined, bearer(tokens.access_token));
  expect(me.status).toBe(200);
  return tokens;
}

describe("POST /v1/auth/login", () => {
  it("logs in by email, by username, in any letter case, and through `email` or `username` fields", async () => {
    const user = await createUser();
    for (const body of [
      { login: user.email, password: user.password },
      { login: user.username.toUpperCase(), password: user.password },
      { email: user.email, password: user.password },
      { username: user.username, password: user.password },
    ]) {
      await expectTokenPair(await requestJson("POST", "/v1/auth/login", body));
    }
  });

  it("uses at most 2 SQL requests", async () => {
    const user = await createUser();
    const before = await sqlRequests();
    const response = await requestJson("POST", "/v1/auth/login", { login: user.email, password: user.password });
    expect(response.status).toBe(200);
    expect(await sqlRequests()).toBeLessThanOrEqual(before + 2);
  });

  it("answers a wrong password, an unknown login and an inactive account with the same 401", async () => {
    const user = await createUser();
    const inactive = await createUser();
    await requestJson("PATCH", `/v1/admin/users/${inactive.id}`, { is_active: false }, adminSecret());
    const details = [];
    for (const body of [
      { login: user.email, password: "wrong password" },
      { login: "nobody@example.com", password: user.password },
      { login: inactive.email, password: inactive.password },
    ]) {
      const problem = await expectProblem(
        await requestJson("POST", "/v1/auth/login", body),
        401,
        "invalid_credentials",
      );
      details.push(problem.detail);
    }
    expect(new Set(details).size).toBe(1);
  });

  it("refuses a body without login or password with 422", async () => {
    await expectProblem(await requestJson("POST", "/v1/auth/login", { password: "x" }), 422, "validation_failed");
    await expectProblem(await requestJson("POST", "/v1/auth/login", { login: "x" }), 422, "validation_failed");
  });

  it("logs login_success and login_failure as security events, never with the password", async () => {
    const user = await createUser();
    const lines = await logLines(async () => {
      await requestJson("POST", "/v1/auth/login", { login: user.email, password: "wrong password" });
      await requestJson("POST", "/v1/auth/login", { login: user.email, password: user.password });
    });
    const events = lines.filter((line) => line.security_event).map((line) => line.event);
    expect(events).toEqual(["login_failure", "login_success"]);
    const printed = JSON.stringify(lines);
    expect(printed).not.toContain(user.password);
    expect(printed).not.toContain("wrong password");
  });

  it("re-hashes a password stored with older argon2id parameters on the next login", async () => {
    const user = await createUser();
    const salt = crypto.getRandomValues(new Uint8Array(16));
    const old = { m: 12_288, t: 3, p: 1 };
    const oldHash = formatPhc(old, salt, argon2id(user.password, salt, { ...old, dkLen: 32 }));
    await database().update(users).set({ passwordHash: oldHash }).where(eq(users.id, user.id));

    await expectTokenPair(await requestJson("POST", "/v1/auth/login", { login: user.email, password: user.password }));
    const [row] = await database().select().from(users).where(eq(users.id, user.id));
    expect(row?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    await expectTokenPair(await requestJson("POST", "/v1/auth/login", { login: user.email, password: user.password }));
  });

  it("refuses a client after 10 failures on an account, even with the right password; the owner elsewhere gets in", async () => {
    const user = await createUser();
    // The per-IP login limit would stop one client first; here only the account lock counts.
    const withoutIpLimits = { RATE_LIMIT_LOGIN_PER_MINUTE: "0", RATE_LIMIT_GLOBAL_PER_MINUTE: "0" };
    const attacker = freshIp();
    const attempt = (password: string, ip: string) => loginFrom(user, password, ip, withoutIpLimits);
    for (let i = 0; i < 10; i++) await expectProblem(await attempt(`wrong ${i}`, attacker), 401, "invalid_credentials");
    const locked = await attempt(user.password, attacker);
    await expectProblem(locked, 429, "rate_limited");
    expect(Number(locked.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect((await attempt(user.password, freshIp())).status).toBe(200);
  });

  it("counts an IPv6 /48 as one client: of 120 wrong passwords from 120 of its /64s, 10 are checked", async () => {
    const user = await createUser();
    const allocation = `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}`;
    const statuses: number[] = [];
    for (let i = 0; i < 120; i++) {
      statuses.push((await loginFrom(user, `wrong ${i}`, `${allocation}:${(i * 523).toString(16)}::1`, {})).status);
    }
    expect(statuses.filter((status) => status === 401)).toHaveLength(10);
    expect(statuses.filter((status) => status === 429)).toHaveLength(110);
    // The owner elsewhere is not held by it.
    expect((await loginFrom(user, user.password, freshIp(), {})).status).toBe(200);
  }, 60_000);

  it("lets the owner log in from a fresh client after 12 failures from many IPs", async () => {
    const user = await createUser();
    for (let i = 0; i < 12; i++) {
      await expectProblem(
        await requestJson("POST", "/v1/auth/login", { login: user.email, password: `wrong ${i}` }),
        401,
        "invalid_credentials",
      );
    }
    await expectTokenPair(
      await requestJson("POST", "/v1/auth/login", { login: user.username, password: user.password }),
    );
  });

  it("under attack (LOGIN_FAILURES_PER_ACCOUNT reached), gives each failing client one try and the owner theirs", async () => {
    const user = await createUser();
    const attempt = (password: string, ip: string) =>
      loginFrom(user, password, ip, { LOGIN_FAILURES_PER_ACCOUNT: "5" });
    const attackers = Array.from({ length: 5 }, () => freshIp());
    for (const ip of attackers) await expectProblem(await attempt("wrong", ip), 401, "invalid_credentials");
    // Every address that guessed wrong is refused now, even when it guesses right.
    await expectProblem(await attempt(user.password, attackers[0] as string), 429, "rate_limited");
    const newcomer = freshIp();
    await expectProblem(await attempt("wrong again", newcomer), 401, "invalid_credentials");
    await expectProblem(await attempt(user.password, newcomer), 429, "rate_limited");
    expect((await attempt(user.password, freshIp())).status).toBe(200);
  });

  it("limits logins to 5 per minute per IP", async () => {
    const user = await createUser();
    const ip = freshIp();
    const statuses = [];
    for (let i = 0; i < 6; i++) {
      const response = await requestJson(
        "POST",
        "/v1/auth/login",
        { login: user.email, password: user.password },
        { "CF-Connecting-IP": ip },
      );
      statuses.push(response.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });
});

describe("POST /v1/auth/token (OAuth2)", () => {
  it("grants tokens for grant_type=password and rotates them for grant_type=refresh_token", async () => {
    const user = await createUser();
    const first = await expectTokenPair(
      await request("/v1/auth/token", form({ grant_type: "password", username: user.email, password: user.password })),
    );
    const rotated = await expectTokenPair(
      await request("/v1/auth/token", form({ grant_type: "refresh_token", refresh_token: first.refresh_token })),
    );
    expect(rotated.refresh_token).not.toBe(first.refresh_token);
  });

  it("ignores the extra fields Swagger UI sends", async () => {
    const user = await createUser();
    const fields = {
      grant_type: "password",
      username: user.username,
      password: user.password,
      scope: "",
      client_id: "",
    };
    await expectTokenPair(await request("/v1/auth/token", form(fields)));
  });

  it("refuses a wrong password with 401, and an unknown grant or missing field with 422", async () => {
    const user = await createUser();
    await expectProblem(
      await request("/v1/auth/token", form({ grant_type: "password", username: user.email, password: "nope" })),
      401,
      "invalid_credentials",
    );
    await expectProblem(
      await request("/v1/auth/token", form({ grant_type: "client_credentials" })),
      422,
      "validation_failed",
    );
    await expectProblem(
      await request("/v1/auth/token", form({ grant_type: "password", username: user.email })),
      422,
      "validation_failed",
    );
  });

  it("counts a password grant against the login limit and a refresh grant against the refresh limit", async () => {
    const user = await createUser();
    const ip = freshIp();
    const grant = { grant_type: "password", username: user.email, password: user.password };
    let tokens: TokenPair | undefined;
    for (let i = 0; i < 5; i++) {
      tokens = (await (await request("/v1/auth/token", form(grant, { "CF-Connecting-IP": ip }))).json()) as TokenPair;
    }
    await expectProblem(await request("/v1/auth/token", form(grant, { "CF-Connecting-IP": ip })), 429, "rate_limited");
    const refreshed = await request(
      "/v1/auth/token",
      form({ grant_type: "refresh_token", refresh_token: tokens?.refresh_token ?? "" }, { "CF-Connecting-IP": ip }),
    );
    expect(refreshed.status).toBe(200);
  });
});
