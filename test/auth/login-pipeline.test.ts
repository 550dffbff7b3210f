import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { totpCode } from "../../src/credentials/totp.ts";
import { SoftwareAuthenticator } from "../support/authenticator.ts";
import { createUser, freshIp, login, logLines, requestApp, type TestUser } from "../support/harness.ts";
import { addPasskey, loginOptions, PAGE_ORIGIN } from "../support/passkeys.ts";
import { enableTotp } from "../support/totp.ts";

// Every way to sign in goes through src/services/login.ts: these prove the paths alike.
const app = createApp();
/** A lock after 3 failures per client, and room in the per-IP login limit to reach it. */
const LOCK_AFTER_3 = { LOGIN_FAILURES_PER_CLIENT: "3", RATE_LIMIT_LOGIN_PER_MINUTE: "100" };

const post = (ip: string, path: string, body: unknown, form = false) =>
  requestApp(
    app,
    path,
    {
      method: "POST",
      headers: {
        "Content-Type": form ? "application/x-www-form-urlencoded" : "application/json",
        "CF-Connecting-IP": ip,
      },
      body: form ? new URLSearchParams(body as Record<string, string>).toString() : JSON.stringify(body),
    },
    LOCK_AFTER_3,
  );

/** One login attempt per path, with the right factor unless `wrong`. */
interface Paths {
  password(ip: string, wrong?: boolean): Promise<Response>;
  cookie(ip: string, wrong?: boolean): Promise<Response>;
  passwordGrant(ip: string, wrong?: boolean): Promise<Response>;
  passkey(ip: string, wrong?: boolean): Promise<Response>;
  secondStep(ip: string, wrong?: boolean): Promise<Response>;
}

async function accountWithEveryFactor(): Promise<{ user: TestUser; paths: Paths }> {
  const user = await createUser();
  const tokens = await login(user);
  const { authenticator } = await addPasskey(tokens);
  const impostor = await SoftwareAuthenticator.create(PAGE_ORIGIN);
  Object.assign(impostor, { credentialId: authenticator.credentialId, userHandle: authenticator.userHandle });
  // A second account with a second factor, one step into its login, for the second step's path.
  const other = await createUser();
  const secret = await enableTotp(other, await login(other));
  const password = (wrong?: boolean) => (wrong ? "not the password" : user.password);
  const paths: Paths = {
    password: (ip, wrong) => post(ip, "/v1/auth/login", { login: user.email, password: password(wrong) }),
    cookie: (ip, wrong) => post(ip, "/v1/auth/jwt/login", { login: user.username, password: password(wrong) }),
    passwordGrant: (ip, wrong) =>
      post(ip, "/v1/auth/token", { grant_type: "password", username: user.email, password: password(wrong) }, true),
    passkey: async (ip, wrong) =>
      post(ip, "/v1/auth/passkeys/login", {
        response: await (wrong ? impostor : authenticator).assert(await loginOptions()),
      }),
    secondStep: async (ip, wrong) => {
      const first = await post(freshIp(), "/v1/auth/login", { login: other.email, password: other.password });
      const { mfa_token } = (await first.json()) as { mfa_token: string };
      const code = wrong ? "000000" : await totpCode(secret);
      return post(ip, "/v1/auth/mfa/verify", { mfa_token, code });
    },
  };
  return { user, paths };
}

describe("one login pipeline", () => {
  it("refuses a locked account on every path, with the right factor too", async () => {
    const { paths } = await accountWithEveryFactor();
    const ip = freshIp();
    // Three wrong passwords lock the account for this client; the second step's account is locked by wrong codes.
    for (let i = 0; i < 3; i += 1) {
      expect((await paths.password(ip, true)).status).toBe(401);
      expect((await paths.secondStep(ip, true)).status).toBe(401);
    }
    for (const [path, attempt] of Object.entries(paths)) {
      const response = await attempt(ip);
      expect([path, response.status]).toEqual([path, 429]);
      expect(((await response.json()) as { code: string }).code).toBe("rate_limited");
    }
    // Another client still logs in on every path.
    for (const [path, attempt] of Object.entries(paths)) {
      expect([path, (await attempt(freshIp())).status]).toEqual([path, path === "cookie" ? 204 : 200]);
    }
  }, 30_000);

  it("logs one login_failure, with the factor and the reason, for a wrong factor on every path", async () => {
    const { user, paths } = await accountWithEveryFactor();
    const expected: Record<keyof Paths, { method: string; reason: string }> = {
      password: { method: "password", reason: "wrong_password" },
      cookie: { method: "password", reason: "wrong_password" },
      passwordGrant: { method: "password", reason: "wrong_password" },
      passkey: { method: "passkey", reason: "bad_signature" },
      secondStep: { method: "totp", reason: "wrong_code" },
    };
    for (const [path, attempt] of Object.entries(paths) as [keyof Paths, Paths[keyof Paths]][]) {
      const ip = freshIp();
      const lines = await logLines(async () => expect((await attempt(ip, true)).status).toBe(401));
      const failures = lines.filter((line) => line.event === "login_failure");
      expect([path, failures]).toEqual([
        path,
        [expect.objectContaining({ security_event: true, ip, ...expected[path] })],
      ]);
      if (path !== "secondStep") expect(failures[0]?.user_id).toBe(user.id);
      // What was typed never reaches the event.
      expect(JSON.stringify(failures)).not.toContain("not the password");
    }
  }, 30_000);
});
