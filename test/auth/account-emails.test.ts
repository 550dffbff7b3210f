import { env } from "cloudflare:test";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { accountTokens, mfaRecoveryCodes, passkeys, users } from "../../src/db/schema/index.ts";
import { SoftwareAuthenticator } from "../support/authenticator.ts";
import {
  adminSecret,
  afterResponses,
  bearer,
  createKey,
  createUser,
  database,
  expectProblem,
  freshIp,
  login,
  logLines,
  requestApp,
  requestJson,
  type TestUser,
  type TokenPair,
  withKey,
} from "../support/harness.ts";
import { emailsTo, nextEmailTo, tokenIn } from "../support/mailbox.ts";
import { addPasskey, PAGE_ORIGIN, passkeyLogin, registrationOptions } from "../support/passkeys.ts";
import { enableTotp } from "../support/totp.ts";

const app = createApp();

/** Asks for a reset of `email` and returns the token the email carries. */
async function resetToken(user: TestUser): Promise<string> {
  const before = emailsTo(user.email).length;
  expect((await requestJson("POST", "/v1/auth/password/forgot", { email: user.email })).status).toBe(202);
  return tokenIn(await nextEmailTo(user.email, before));
}

const reset = (token: string, newPassword = "a brand new password") =>
  requestJson("POST", "/v1/auth/password/reset", { token, new_password: newPassword });

/** A JSON POST from its own client address to the app under other settings. */
const postWith = (path: string, body: unknown, bindings: Record<string, unknown>) =>
  requestApp(
    app,
    path,
    {
      method: "POST",
      headers: { "Content-Type": "application/json", "CF-Connecting-IP": freshIp() },
      body: JSON.stringify(body),
    },
    bindings,
  );

const me = (accessToken: string) => requestJson("GET", "/v1/auth/me", undefined, bearer(accessToken));

/** A JSON request to the app with REQUIRE_EMAIL_VERIFICATION on, as `tokens` when given. */
const withVerificationRequired = (method: string, path: string, body?: unknown, tokens?: TokenPair) =>
  requestApp(
    app,
    path,
    {
      method,
      headers: {
        "CF-Connecting-IP": freshIp(),
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
        ...(tokens ? bearer(tokens.access_token) : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    },
    { REQUIRE_EMAIL_VERIFICATION: "true" },
  );

const requestVerification = (email: string, headers: Record<string, string> = {}) =>
  requestJson("POST", "/v1/auth/email/verify/request", { email }, headers);

describe("password reset", () => {
  it("emails a link to APP_URL and a code, and answers an unknown address exactly the same", async () => {
    const user = await createUser();
    const before = emailsTo(user.email).length;
    const known = await requestJson("POST", "/v1/auth/password/forgot", { email: user.email.toUpperCase() });
    const unknownAddress = `nobody-${crypto.randomUUID()}@example.com`;
    const unknown = await requestJson("POST", "/v1/auth/password/forgot", { email: unknownAddress });

    expect([known.status, unknown.status]).toEqual([202, 202]);
    expect(await known.text()).toBe(await unknown.text());
    const email = await nextEmailTo(user.email, before);
    expect(email.from).toBe("noreply@gatehouse.localhost");
    expect(email.subject).toBe("Reset your password");
    const token = tokenIn(email);
    expect(token).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(email.text).toContain(`http://localhost:8787/reset-password#token=${token}`);
    expect(email.html).toContain(`#token=${token}`);
    await afterResponses();
    expect(emailsTo(unknownAddress)).toEqual([]);
  });

  it("stores only the token's SHA-256, for 30 minutes", async () => {
    const user = await createUser();
    const token = await resetToken(user);
    const [row] = await database()
      .select()
      .from(accountTokens)
      .where(and(eq(accountTokens.userId, user.id), eq(accountTokens.purpose, "password_reset")));
    expect(row?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row?.tokenHash).not.toContain(token);
    const minutes = ((row?.expiresAt.getTime() ?? 0) - (row?.createdAt.getTime() ?? 0)) / 60_000;
    expect(minutes).toBeCloseTo(30, 1);
  });

  it("sets the new password, ends every session and refuses the old password", async () => {
    const user = await createUser();
    const sessions = [await login(user), await login(user)];
    const token = await resetToken(user);

    expect((await reset(token)).status).toBe(204);

    for (const session of sessions) {
      expect((await me(session.access_token)).status).toBe(401);
      const refreshed = await requestJson("POST", "/v1/auth/refresh", { refresh_token: session.refresh_token });
      expect(refreshed.status).toBe(401);
    }
    await expectProblem(
      await requestJson("POST", "/v1/auth/login", { login: user.email, password: user.password }),
      401,
      "invalid_credentials",
    );
    const fresh = await login({ email: user.email, password: "a brand new password" });
    expect((await me(fresh.access_token)).status).toBe(200);
    const [row] = await database().select().from(users).where(eq(users.id, user.id));
    expect(row?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it("takes a token once: a second use, and one of two parallel uses, get 400 invalid_token", async () => {
    const user = await createUser();
    const token = await resetToken(user);
    const statuses = (await Promise.all([reset(token, "first new password"), reset(token, "second new password")])).map(
      (response) => response.status,
    );
    expect(statuses.sort()).toEqual([204, 400]);
    await expectProblem(await reset(token), 400, "invalid_token");
    const winner = statuses[0] === 204 ? "first new password" : "second new password";
    await login({ email: user.email, password: winner }).catch(async () => {
      await login({ email: user.email, password: winner === "first new password" ? "second new password" : winner });
    });
  });

  it("answers an unknown, expired or replaced token, or any other text, with the same 400", async () => {
    const user = await createUser();
    const older = await resetToken(user);
    const newer = await resetToken(user);
    await expectProblem(await reset(older), 400, "invalid_token");

    await database()
      .update(accountTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(accountTokens.userId, user.id));
    await expectProblem(await reset(newer), 400, "invalid_token");
    await expectProblem(await reset("not a token at all"), 400, "invalid_token");
    await expectProblem(await reset("A".repeat(24)), 400, "invalid_token");
  });

  it("does nothing for an inactive account", async () => {
    const user = await createUser();
    const token = await resetToken(user);
    const before = emailsTo(user.email).length;
    expect((await requestJson("PATCH", `/v1/admin/users/${user.id}`, { is_active: false }, adminSecret())).status).toBe(
      200,
    );
    expect((await requestJson("POST", "/v1/auth/password/forgot", { email: user.email })).status).toBe(202);
    await expectProblem(await reset(token), 400, "invalid_token");
    await afterResponses();
    expect(emailsTo(user.email).length).toBe(before);
  });

  it("takes comparable time whether or not the account exists", async () => {
    const user = await createUser();
    const timed = async (email: string) => {
      const started = performance.now();
      expect((await requestJson("POST", "/v1/auth/password/forgot", { email })).status).toBe(202);
      return performance.now() - started;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    // Alternating, so a slower moment of the machine weighs on both alike; each address stays within its hourly limit.
    for (let i = 0; i < 4; i++) {
      known.push(await timed(user.email));
      unknown.push(await timed(`ghost-${i}-${crypto.randomUUID()}@example.com`));
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
    const [a, b] = [median(known), median(unknown)];
    expect(Math.abs(a - b), `known ${a.toFixed(1)} ms, unknown ${b.toFixed(1)} ms`).toBeLessThan(Math.max(25, a, b));
  });

  it("sends at most EMAILS_PER_ADDRESS_PER_HOUR emails to one address, answering the same after", async () => {
    const user = await createUser();
    const forgot = () =>
      postWith("/v1/auth/password/forgot", { email: user.email }, { EMAILS_PER_ADDRESS_PER_HOUR: "2" });
    const before = emailsTo(user.email).length;
    const answers = await Promise.all([1, 2, 3].map(async () => (await forgot()).text()));
    expect(new Set(answers).size).toBe(1);
    await nextEmailTo(user.email, before + 1);
    await afterResponses();
    expect(emailsTo(user.email).length).toBe(before + 2);
  });

  it("limits /password/forgot and /password/reset per IP (RATE_LIMIT_RECOVERY_PER_MINUTE)", async () => {
    const ip = freshIp();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const response = await requestJson(
        "POST",
        "/v1/auth/password/reset",
        { token: "x", new_password: "whatever long" },
        {
          "CF-Connecting-IP": ip,
        },
      );
      statuses.push(response.status);
    }
    expect(statuses).toEqual([400, 400, 400, 400, 400, 429]);
  });

  it("logs password_reset_requested and password_reset as security events, never the token", async () => {
    const user = await createUser();
    let token = "";
    const lines = await logLines(async () => {
      token = await resetToken(user);
      expect((await reset(token)).status).toBe(204);
    });
    const events = lines.filter((line) => line.security_event).map((line) => line.event);
    expect(events).toEqual(expect.arrayContaining(["password_reset_requested", "password_reset"]));
    // Development prints the simulated email's text, link included, for the developer to click; nothing else does.
    const [printed] = lines.filter((line) => line.event === "email_simulated" && line.purpose === "password_reset");
    expect(printed?.text).toContain(`/reset-password#token=${token}`);
    expect(JSON.stringify(lines.filter((line) => line !== printed))).not.toContain(token);
  });
});

describe("email verification", () => {
  it("is emailed at registration; the token verifies the address once, which /me and the admin list show", async () => {
    const email = `new-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const registered = await requestJson("POST", "/v1/auth/register", { email, password: "long enough password" });
    expect(registered.status).toBe(201);
    expect(await registered.json()).toMatchObject({ email_verified: false });
    const message = await nextEmailTo(email, 0);
    expect(message.subject).toBe("Verify your email address");
    const token = tokenIn(message);
    expect(message.text).toContain(`http://localhost:8787/verify-email#token=${token}`);

    const verify = () => requestJson("POST", "/v1/auth/email/verify", { token });
    expect((await verify()).status).toBe(204);
    await expectProblem(await verify(), 400, "invalid_token");

    const tokens = await login({ email, password: "long enough password" });
    expect(await (await me(tokens.access_token)).json()).toMatchObject({ email, email_verified: true });
    const list = (await (await requestJson("GET", "/v1/admin/users?limit=100", undefined, adminSecret())).json()) as {
      items: { email: string; email_verified: boolean }[];
    };
    expect(list.items.every((item) => typeof item.email_verified === "boolean")).toBe(true);
  });

  it("resends on request (the older token stops working), and refuses once verified", async () => {
    const user = await createUser();
    const first = tokenIn(await nextEmailTo(user.email, 0));
    const { access_token } = await login(user);
    const resend = () => requestJson("POST", "/v1/auth/email/verify/resend", undefined, bearer(access_token));

    expect((await resend()).status).toBe(202);
    const second = tokenIn(await nextEmailTo(user.email, 1));
    await expectProblem(await requestJson("POST", "/v1/auth/email/verify", { token: first }), 400, "invalid_token");
    expect((await requestJson("POST", "/v1/auth/email/verify", { token: second })).status).toBe(204);
    await expectProblem(await resend(), 409, "conflict");
    await expectProblem(await requestJson("POST", "/v1/auth/email/verify/resend"), 401, "unauthorized");
  });

  it("with REQUIRE_EMAIL_VERIFICATION, refuses tokens to a correct password until verified (403), not before", async () => {
    const user = await createUser();
    const loginWith = (password: string) =>
      postWith("/v1/auth/login", { login: user.email, password }, { REQUIRE_EMAIL_VERIFICATION: "true" });
    await expectProblem(await loginWith("a wrong password"), 401, "invalid_credentials");
    await expectProblem(await loginWith(user.password), 403, "email_not_verified");

    const token = tokenIn(await nextEmailTo(user.email, 0));
    const lines = await logLines(async () => {
      expect((await requestJson("POST", "/v1/auth/email/verify", { token })).status).toBe(204);
    });
    expect(lines.find((line) => line.event === "email_verified")).toMatchObject({
      security_event: true,
      user_id: user.id,
    });
    expect((await loginWith(user.password)).status).toBe(200);
  });
});

describe("account emails", () => {
  it("leave after the response; a failed send is logged as a security event and the request still succeeds", async () => {
    const lines = await logLines(async () => {
      const email = `nomail-${crypto.randomUUID().slice(0, 8)}@example.com`;
      const response = await postWith("/v1/auth/register", { email, password: "long enough pw" }, { EMAIL: undefined });
      expect(response.status).toBe(201);
    });
    expect(lines.find((line) => line.event === "email_send_failed")).toMatchObject({
      security_event: true,
      purpose: "email_verification",
    });
  });

  it("answer 404 on every route when ACCOUNT_EMAILS is false, and registration sends nothing", async () => {
    const post = (path: string, body: unknown) => postWith(path, body, { ACCOUNT_EMAILS: "false" });
    await expectProblem(await post("/v1/auth/password/forgot", { email: "a@example.com" }), 404, "not_found");
    await expectProblem(
      await post("/v1/auth/password/reset", { token: "x", new_password: "long enough pw" }),
      404,
      "not_found",
    );
    await expectProblem(await post("/v1/auth/email/verify", { token: "x" }), 404, "not_found");
    const email = `quiet-${crypto.randomUUID().slice(0, 8)}@example.com`;
    expect((await post("/v1/auth/register", { email, password: "long enough pw" })).status).toBe(201);
    await afterResponses();
    expect(emailsTo(email)).toEqual([]);
  });

  it("go through the EMAIL binding declared in wrangler.toml, which accepts them", async () => {
    const lines = await logLines(async () => {
      const user = await createUser();
      await nextEmailTo(user.email, 0);
      await afterResponses();
    });
    expect(lines.filter((line) => line.event === "email_send_failed")).toEqual([]);
    expect(typeof (env as unknown as { EMAIL: SendEmail }).EMAIL.send).toBe("function");
  });
});

describe("a password reset of an address never verified (pre-account takeover)", () => {
  it("verifies the address and ends everything the account had: passkeys, keys, second factor, sessions", async () => {
    // Someone registers the owner's address first and plants credentials on the account.
    const squatter = await createUser();
    const tokens = await login(squatter);
    const { authenticator } = await addPasskey(tokens);
    const key = await createKey(tokens.access_token, { never_expires: true });
    await enableTotp(squatter, tokens);
    expect((await passkeyLogin(authenticator)).status).toBe(200);
    expect((await requestJson("GET", "/v1/protected/any", undefined, withKey(key.key))).status).toBe(200);

    // The owner resets the password with the link sent to their address.
    expect((await reset(await resetToken(squatter))).status).toBe(204);

    await expectProblem(await passkeyLogin(authenticator), 401, "invalid_credentials");
    await expectProblem(
      await requestJson("GET", "/v1/protected/any", undefined, withKey(key.key)),
      401,
      "api_key_revoked",
    );
    expect((await me(tokens.access_token)).status).toBe(401);
    const [row] = await database().select().from(users).where(eq(users.id, squatter.id));
    expect(row).toMatchObject({ totpSecret: null, totpPendingSecret: null });
    expect(row?.emailVerifiedAt).toBeInstanceOf(Date);
    expect(await database().select().from(passkeys).where(eq(passkeys.userId, squatter.id))).toEqual([]);
    expect(await database().select().from(mfaRecoveryCodes).where(eq(mfaRecoveryCodes.userId, squatter.id))).toEqual(
      [],
    );
    // The new password alone logs in: no second factor is left to ask for.
    const owner = await login({ email: squatter.email, password: "a brand new password" });
    expect(await (await me(owner.access_token)).json()).toMatchObject({ email_verified: true, mfa_enabled: false });
  });

  it("keeps a verified account's passkeys, keys and second factor: only its sessions end", async () => {
    const user = await createUser();
    expect(
      (await requestJson("POST", "/v1/auth/email/verify", { token: tokenIn(await nextEmailTo(user.email, 0)) })).status,
    ).toBe(204);
    const tokens = await login(user);
    const { authenticator } = await addPasskey(tokens);
    const key = await createKey(tokens.access_token, { never_expires: true });
    await enableTotp(user, tokens);

    expect((await reset(await resetToken(user))).status).toBe(204);

    expect((await me(tokens.access_token)).status).toBe(401);
    expect((await passkeyLogin(authenticator)).status).toBe(200);
    expect((await requestJson("GET", "/v1/protected/any", undefined, withKey(key.key))).status).toBe(200);
    const step = await requestJson("POST", "/v1/auth/login", { login: user.email, password: "a brand new password" });
    expect(await step.json()).toMatchObject({ mfa_required: true });
  });

  it("with REQUIRE_EMAIL_VERIFICATION, an unverified account adds no passkey and no API key (403), a verified one does", async () => {
    const user = await createUser();
    const tokens = await login(user);
    const authenticator = await SoftwareAuthenticator.create(PAGE_ORIGIN);
    const earlier = await authenticator.register(await registrationOptions(tokens));

    await expectProblem(
      await withVerificationRequired("POST", "/v1/auth/passkeys/register/options", undefined, tokens),
      403,
      "email_not_verified",
    );
    await expectProblem(
      await withVerificationRequired("POST", "/v1/auth/passkeys/register", { response: earlier }, tokens),
      403,
      "email_not_verified",
    );
    await expectProblem(
      await withVerificationRequired("POST", "/v1/keys", { name: "planted", never_expires: true }, tokens),
      403,
      "email_not_verified",
    );
    expect(await database().select().from(passkeys).where(eq(passkeys.userId, user.id))).toEqual([]);

    const token = tokenIn(await nextEmailTo(user.email, 0));
    expect((await requestJson("POST", "/v1/auth/email/verify", { token })).status).toBe(204);
    expect(
      (await withVerificationRequired("POST", "/v1/auth/passkeys/register/options", undefined, tokens)).status,
    ).toBe(200);
    expect((await withVerificationRequired("POST", "/v1/keys", { name: "mine" }, tokens)).status).toBe(201);
  });
});

describe("a lost verification link (REQUIRE_EMAIL_VERIFICATION)", () => {
  it("is sent again by address, without a session, with one answer for every address", async () => {
    const user = await createUser();
    const first = tokenIn(await nextEmailTo(user.email, 0));
    const verified = await createUser();
    expect(
      (await requestJson("POST", "/v1/auth/email/verify", { token: tokenIn(await nextEmailTo(verified.email, 0)) }))
        .status,
    ).toBe(204);
    const unknownAddress = `nobody-${crypto.randomUUID()}@example.com`;

    const answers = await Promise.all(
      [user.email.toUpperCase(), verified.email, unknownAddress].map(async (email) => {
        const response = await requestVerification(email);
        return `${response.status} ${await response.text()}`;
      }),
    );
    expect(answers[0]).toMatch(/^202 /);
    expect(new Set(answers).size).toBe(1);

    const second = tokenIn(await nextEmailTo(user.email, 1));
    await expectProblem(await requestJson("POST", "/v1/auth/email/verify", { token: first }), 400, "invalid_token");
    expect((await requestJson("POST", "/v1/auth/email/verify", { token: second })).status).toBe(204);
    await afterResponses();
    expect(emailsTo(verified.email).length).toBe(1);
    expect(emailsTo(unknownAddress)).toEqual([]);
    const loggedIn = await withVerificationRequired("POST", "/v1/auth/login", {
      login: user.email,
      password: user.password,
    });
    expect(loggedIn.status).toBe(200);
  });

  it("is limited per IP, as /password/forgot is (RATE_LIMIT_RECOVERY_PER_MINUTE)", async () => {
    const ip = freshIp();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await requestVerification(`ghost-${i}@example.com`, { "CF-Connecting-IP": ip })).status);
    }
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
  });

  it("is no dead end: a password reset verifies the address, and the owner logs in", async () => {
    const user = await createUser();
    const loginWith = (password: string) =>
      withVerificationRequired("POST", "/v1/auth/login", { login: user.email, password });
    await expectProblem(await loginWith(user.password), 403, "email_not_verified");
    expect((await reset(await resetToken(user))).status).toBe(204);
    expect((await loginWith("a brand new password")).status).toBe(200);
  });

  it("has an administrator's remedy: POST /v1/admin/users/{id}/verify-email, logged with who did it", async () => {
    const user = await createUser();
    const path = `/v1/admin/users/${user.id}/verify-email`;
    const tokens = await login(user);
    await expectProblem(await requestJson("POST", path, undefined, bearer(tokens.access_token)), 403, "forbidden");
    let answer: Response | undefined;
    const lines = await logLines(async () => {
      answer = await requestJson("POST", path, undefined, adminSecret());
    });
    expect(answer?.status).toBe(200);
    expect(await answer?.json()).toMatchObject({ id: user.id, email_verified: true });
    expect(lines.find((line) => line.event === "email_verified")).toMatchObject({
      security_event: true,
      user_id: user.id,
      by: "admin_secret",
    });
    expect(
      (await withVerificationRequired("POST", "/v1/auth/login", { login: user.email, password: user.password })).status,
    ).toBe(200);
    await expectProblem(
      await requestJson("POST", `/v1/admin/users/${crypto.randomUUID()}/verify-email`, undefined, adminSecret()),
      404,
      "not_found",
    );
  });
});

describe("the per-address email limit", () => {
  it("counts per account, however the address is spelled (U+0130 İ lowercases differently in JS and SQL)", async () => {
    const email = `iris-${crypto.randomUUID().slice(0, 8)}@example.com`;
    expect((await requestJson("POST", "/v1/auth/register", { email, password: "long enough password" })).status).toBe(
      201,
    );
    await nextEmailTo(email, 0);
    const spellings = [
      email,
      email.replace("iris", "İris"),
      email.replace("iris", "irİs"),
      email.replace("iris", "İrİs"),
    ];
    for (const spelling of [...spellings, ...spellings]) {
      const forgot = await postWith(
        "/v1/auth/password/forgot",
        { email: spelling },
        { EMAILS_PER_ADDRESS_PER_HOUR: "2" },
      );
      expect(forgot.status).toBe(202);
    }
    await nextEmailTo(email, 2);
    await afterResponses();
    expect(emailsTo(email).length).toBe(3);
  });
});
