import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { Secret, TOTP } from "otpauth";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { toBase64Url } from "../../src/core/encoding.ts";
import { secretBox } from "../../src/credentials/secret-box.ts";
import { matchingStep, totpCode } from "../../src/credentials/totp.ts";
import { users } from "../../src/db/schema/index.ts";
import {
  adminSecret,
  bearer,
  createUser,
  database,
  expectProblem,
  freshIp,
  login,
  request,
  requestApp,
  requestJson,
  type TestUser,
  type TokenPair,
} from "../support/harness.ts";
import { pendingTotpSecret } from "../support/totp.ts";

const app = createApp();
const STEP = 30_000;
const ALLOWED_ORIGIN = "http://localhost:5173";

/** A code for `secret` at `offset` steps from now; -1, 0 and +1 are all within the window. */
const codeAt = (secret: Uint8Array, offset: number): Promise<string> => totpCode(secret, Date.now() + offset * STEP);

/** A user with TOTP enabled (with a code one step back, so the current and next steps stay usable). */
async function enrolled(): Promise<{ user: TestUser; secret: Uint8Array; recoveryCodes: string[]; tokens: TokenPair }> {
  const user = await createUser();
  const tokens = await login(user);
  const setup = await requestJson(
    "POST",
    "/v1/auth/mfa/totp/setup",
    { password: user.password },
    bearer(tokens.access_token),
  );
  expect(setup.status).toBe(200);
  const { secret: base32, otpauth_uri } = (await setup.json()) as { secret: string; otpauth_uri: string };
  expect(otpauth_uri).toMatch(/^otpauth:\/\/totp\/Gatehouse:.+\?.*secret=[A-Z2-7]+/);
  expect(otpauth_uri).toContain("algorithm=SHA1&digits=6&period=30");
  const secret = Secret.fromBase32(base32).bytes;
  expect(secret.length).toBeGreaterThanOrEqual(20);
  const enable = await requestJson(
    "POST",
    "/v1/auth/mfa/totp/enable",
    { code: await codeAt(secret, -1) },
    bearer(tokens.access_token),
  );
  expect(enable.status).toBe(200);
  const { recovery_codes } = (await enable.json()) as { recovery_codes: string[] };
  return { user, secret, recoveryCodes: recovery_codes, tokens };
}

async function passwordStep(user: TestUser, ip = freshIp()): Promise<string> {
  const response = await requestJson(
    "POST",
    "/v1/auth/login",
    { login: user.email, password: user.password },
    {
      "CF-Connecting-IP": ip,
    },
  );
  expect(response.status).toBe(200);
  const body = (await response.json()) as { mfa_required: boolean; mfa_token: string };
  expect(body).toEqual({ mfa_required: true, mfa_token: expect.any(String) });
  return body.mfa_token;
}

const verify = (body: Record<string, string>, headers: Record<string, string> = {}) =>
  requestJson("POST", "/v1/auth/mfa/verify", body, headers);

describe("TOTP (RFC 6238)", () => {
  // RFC 6238 Appendix B, SHA-1, the last 6 of its 8 digits.
  const seed = new TextEncoder().encode("12345678901234567890");
  it.each([
    [59, "287082"],
    [1111111109, "081804"],
    [1111111111, "050471"],
    [1234567890, "005924"],
    [2000000000, "279037"],
    [20000000000, "353130"],
  ])("gives the RFC 6238 code at T=%i", async (seconds, code) => {
    expect(await totpCode(seed, seconds * 1000)).toBe(code);
  });

  it("agrees with the otpauth library on random secrets and times", async () => {
    for (let i = 0; i < 20; i++) {
      const secret = crypto.getRandomValues(new Uint8Array(20));
      const timestamp = Math.floor(Math.random() * 4_000_000_000_000);
      const oracle = TOTP.generate({ secret: new Secret({ buffer: secret.slice().buffer }), timestamp });
      expect(await totpCode(secret, timestamp)).toBe(oracle);
    }
  });

  it("accepts a code one step either side of now, and not two", async () => {
    const now = 1_800_000_000_000;
    const step = now / STEP;
    for (const offset of [-1, 0, 1]) {
      expect(await matchingStep(seed, await totpCode(seed, now + offset * STEP), now)).toBe(step + offset);
    }
    for (const offset of [-2, 2]) {
      expect(await matchingStep(seed, await totpCode(seed, now + offset * STEP), now)).toBeNull();
    }
    expect(await matchingStep(seed, "12345", now)).toBeNull();
  });
});

describe("second factor", () => {
  it("enrols, then every password login needs a code, which gives the tokens a login gives", async () => {
    const { user, secret, recoveryCodes, tokens } = await enrolled();
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    // Enabling ended every other session, not this one.
    const me = await requestJson("GET", "/v1/auth/me", undefined, bearer(tokens.access_token));
    expect(await me.json()).toMatchObject({ mfa_enabled: true });

    const mfaToken = await passwordStep(user);
    const verified = await verify({ mfa_token: mfaToken, code: await codeAt(secret, 0) });
    expect(verified.status).toBe(200);
    const pair = (await verified.json()) as TokenPair;
    expect(pair).toMatchObject({
      token_type: "bearer",
      access_token: expect.any(String),
      refresh_token: expect.any(String),
    });
    expect((await requestJson("GET", "/v1/auth/me", undefined, bearer(pair.access_token))).status).toBe(200);

    // The mfa_token is used up, and the code's step too.
    await expectProblem(await verify({ mfa_token: mfaToken, code: await codeAt(secret, 1) }), 400, "invalid_token");
    await expectProblem(
      await verify({ mfa_token: await passwordStep(user), code: await codeAt(secret, 0) }),
      401,
      "invalid_mfa_code",
    );
  });

  it("ends every other session when it is enabled", async () => {
    const user = await createUser();
    const other = await login(user);
    const tokens = await login(user);
    const secret = await pendingTotpSecret(user, tokens);
    await expectProblem(
      await requestJson("POST", "/v1/auth/mfa/totp/enable", { code: "000000" }, bearer(tokens.access_token)),
      401,
      "invalid_mfa_code",
    );
    expect(
      (
        await requestJson(
          "POST",
          "/v1/auth/mfa/totp/enable",
          { code: await codeAt(secret, 0) },
          bearer(tokens.access_token),
        )
      ).status,
    ).toBe(200);
    expect((await requestJson("GET", "/v1/auth/me", undefined, bearer(other.access_token))).status).toBe(401);
    expect((await requestJson("GET", "/v1/auth/me", undefined, bearer(tokens.access_token))).status).toBe(200);
  });

  it("asks the password again to set up, and refuses a wrong one", async () => {
    const user = await createUser();
    const tokens = await login(user);
    await expectProblem(
      await requestJson(
        "POST",
        "/v1/auth/mfa/totp/setup",
        { password: "not the password" },
        bearer(tokens.access_token),
      ),
      401,
      "invalid_credentials",
    );
  });

  it("takes each recovery code once", async () => {
    const { user, recoveryCodes } = await enrolled();
    const code = recoveryCodes[0] as string;
    const first = await verify({ mfa_token: await passwordStep(user), recovery_code: code.toUpperCase() });
    expect(first.status).toBe(200);
    await expectProblem(
      await verify({ mfa_token: await passwordStep(user), recovery_code: code }),
      401,
      "invalid_mfa_code",
    );
    expect(
      (await verify({ mfa_token: await passwordStep(user), recovery_code: recoveryCodes[1] as string })).status,
    ).toBe(200);
  });

  it("counts wrong codes in the failed-login lock: past LOGIN_FAILURES_PER_CLIENT even the right code is refused", async () => {
    const { user, secret } = await enrolled();
    const ip = freshIp();
    const mfaToken = await passwordStep(user, ip);
    const attempt = (code: string) =>
      requestApp(
        app,
        "/v1/auth/mfa/verify",
        {
          method: "POST",
          headers: { "Content-Type": "application/json", "CF-Connecting-IP": ip },
          body: JSON.stringify({ mfa_token: mfaToken, code }),
        },
        { LOGIN_FAILURES_PER_CLIENT: "3" },
      );
    for (let i = 0; i < 3; i++) await expectProblem(await attempt("000000"), 401, "invalid_mfa_code");
    const locked = await expectProblem(await attempt(await codeAt(secret, 0)), 429, "rate_limited");
    expect(locked.detail).toContain("failed attempts on this account");
  });

  it("lets one mfa_token take 5 codes: after 5 wrong ones even the right code is invalid_token", async () => {
    const { user, secret } = await enrolled();
    const mfaToken = await passwordStep(user);
    for (let i = 0; i < 5; i++) {
      await expectProblem(await verify({ mfa_token: mfaToken, code: "000000" }), 401, "invalid_mfa_code");
    }
    await expectProblem(await verify({ mfa_token: mfaToken, code: await codeAt(secret, 0) }), 400, "invalid_token");
    // A new login step starts again.
    expect((await verify({ mfa_token: await passwordStep(user), code: await codeAt(secret, 0) })).status).toBe(200);
  });

  it("counts wrong codes per account, however many clients send them: past MFA_FAILURES_PER_ACCOUNT (10) the right code waits", async () => {
    const { user, secret } = await enrolled();
    let mfaToken = "";
    for (let i = 0; i < 10; i++) {
      if (i % 5 === 0) mfaToken = await passwordStep(user);
      const from = { "CF-Connecting-IP": `2001:db8:${(0x100 + i).toString(16)}::1` };
      await expectProblem(await verify({ mfa_token: mfaToken, code: "000000" }, from), 401, "invalid_mfa_code");
    }
    const owner = { "CF-Connecting-IP": freshIp() };
    const refused = await verify({ mfa_token: await passwordStep(user), code: await codeAt(secret, 0) }, owner);
    await expectProblem(refused, 429, "rate_limited");
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(0);
  });

  it("changes the recovery codes only with the enable that succeeds: a double-submitted enable keeps the codes it showed", async () => {
    const user = await createUser();
    const tokens = await login(user);
    const secret = await pendingTotpSecret(user, tokens);
    const code = await codeAt(secret, -1);
    const responses = await Promise.all(
      Array.from({ length: 3 }, () =>
        requestJson("POST", "/v1/auth/mfa/totp/enable", { code }, bearer(tokens.access_token)),
      ),
    );
    expect(responses.map((response) => response.status).sort()).toEqual([200, 409, 409]);
    const enabled = responses.find((response) => response.status === 200) as Response;
    const { recovery_codes } = (await enabled.json()) as { recovery_codes: string[] };
    for (const recoveryCode of recovery_codes.slice(0, 3)) {
      expect((await verify({ mfa_token: await passwordStep(user), recovery_code: recoveryCode })).status).toBe(200);
    }
  });

  it("is refused on the OAuth2 password grant with 400 mfa_required", async () => {
    const { user } = await enrolled();
    const response = await request("/v1/auth/token", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "CF-Connecting-IP": freshIp() },
      body: new URLSearchParams({ grant_type: "password", username: user.email, password: user.password }).toString(),
    });
    await expectProblem(response, 400, "mfa_required");
  });

  it("completes a cookie login with cookies", async () => {
    const { user, secret } = await enrolled();
    const headers = { Origin: ALLOWED_ORIGIN, "CF-Connecting-IP": freshIp() };
    const first = await request("/v1/auth/jwt/login", {
      method: "POST",
      headers: { ...headers, "Content-Type": "application/json" },
      body: JSON.stringify({ login: user.email, password: user.password }),
    });
    expect(first.status).toBe(200);
    expect(first.headers.getSetCookie()).toEqual([]);
    const { mfa_token } = (await first.json()) as { mfa_token: string };
    const second = await verify({ mfa_token, code: await codeAt(secret, 0) }, headers);
    expect(second.status).toBe(204);
    expect(second.headers.getSetCookie().map((cookie) => cookie.split("=")[0])).toEqual([
      "gatehouse_access",
      "gatehouse_refresh",
    ]);
  });

  it("turns off with the password and a code, ending the other sessions", async () => {
    const { user, secret, tokens } = await enrolled();
    const other = await verify({ mfa_token: await passwordStep(user), code: await codeAt(secret, 0) });
    const otherTokens = (await other.json()) as TokenPair;
    const disable = (code: string) =>
      requestJson("POST", "/v1/auth/mfa/disable", { password: user.password, code }, bearer(tokens.access_token));
    await expectProblem(await disable(await codeAt(secret, 0)), 401, "invalid_mfa_code");
    expect((await disable(await codeAt(secret, 1))).status).toBe(204);
    expect((await requestJson("GET", "/v1/auth/me", undefined, bearer(otherTokens.access_token))).status).toBe(401);
    expect(await login(user)).toMatchObject({ token_type: "bearer" });
  });

  it("is reset by an administrator, which ends every session of the user", async () => {
    const { user, tokens } = await enrolled();
    const reset = await requestJson("DELETE", `/v1/admin/users/${user.id}/mfa`, undefined, adminSecret());
    expect(reset.status).toBe(204);
    expect((await requestJson("GET", "/v1/auth/me", undefined, bearer(tokens.access_token))).status).toBe(401);
    const fresh = await login(user);
    const me = await requestJson("GET", "/v1/auth/me", undefined, bearer(fresh.access_token));
    expect(await me.json()).toMatchObject({ mfa_enabled: false });
    await expectProblem(
      await requestJson("DELETE", `/v1/admin/users/${crypto.randomUUID()}/mfa`, undefined, adminSecret()),
      404,
      "not_found",
    );
  });

  it("keeps the secret encrypted at rest, bound to its user, under a rotatable key", async () => {
    const { user, secret } = await enrolled();
    const [row] = await database().select().from(users).where(eq(users.id, user.id));
    const sealed = row?.totpSecret as string;
    expect(sealed).toMatch(/^[\w-]{8}\.[\w-]{16}\.[\w-]+$/);
    const base32 = new Secret({ buffer: secret.slice().buffer }).base32;
    expect(sealed).not.toContain(base32);

    const current = await secretBox(env.MFA_ENCRYPTION_KEY);
    expect((await current.open(sealed, user.id)).secret).toEqual(secret);
    await expect(current.open(sealed, crypto.randomUUID())).rejects.toThrow();

    const rotated = await secretBox(newKey(), env.MFA_ENCRYPTION_KEY);
    expect(await rotated.open(sealed, user.id)).toEqual({ secret, stale: true });
    await expect((await secretBox(newKey())).open(sealed, user.id)).rejects.toThrow();
  });
});

/** A fresh MFA_ENCRYPTION_KEY. */
const newKey = () => toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
