import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { fromBase64Url, toBase64Url } from "../../src/core/encoding.ts";
import { passkeys, users } from "../../src/db/schema/index.ts";
import { type Algorithm, type Bend, SoftwareAuthenticator } from "../support/authenticator.ts";
import {
  bearer,
  createUser,
  database,
  expectProblem,
  freshIp,
  login,
  logLines,
  requestApp,
  requestJson,
  type TokenPair,
} from "../support/harness.ts";
import {
  addPasskey,
  registrationOptions as creationOptions,
  logInWith,
  PAGE_ORIGIN,
  passkeyLogin,
  registerWith,
  loginOptions as requestOptions,
} from "../support/passkeys.ts";

const registrationOptions = (tokens: TokenPair) => creationOptions<CreationOptions>(tokens);
const loginOptions = (body: { login?: string } = {}) => requestOptions<RequestOptions>(body);

/** The development relying party (RP_ID and RP_ORIGINS unset). */
const RP_ID = "localhost";
const ALLOWED_ORIGIN = "http://localhost:5173";

interface CreationOptions {
  challenge: string;
  rp: { id: string; name: string };
  user: { id: string; name: string; displayName: string };
  pubKeyCredParams: { type: string; alg: number }[];
  excludeCredentials: { id: string }[];
  authenticatorSelection: Record<string, unknown>;
  attestation: string;
  timeout: number;
}

interface RequestOptions {
  challenge: string;
  rpId: string;
  userVerification: string;
}

/** A user with one registered passkey, and the session that registered it. */
async function withPasskey(algorithm: Algorithm = "ES256") {
  const user = await createUser();
  const tokens = await login(user);
  return { user, tokens, ...(await addPasskey(tokens, algorithm)) };
}

describe("passkey registration", () => {
  it("offers a discoverable, user-verified credential under a random user handle, and excludes the user's passkeys", async () => {
    const { user, tokens, authenticator } = await withPasskey();
    const options = await registrationOptions(tokens);
    expect(options).toMatchObject({
      rp: { id: RP_ID, name: "Gatehouse" },
      user: { name: user.email },
      attestation: "none",
      timeout: 300_000,
      authenticatorSelection: { residentKey: "required", userVerification: "required" },
    });
    expect(options.challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(options.pubKeyCredParams.map((param) => param.alg)).toEqual([-8, -7, -257]);
    // The handle names neither the user id nor the email, and stays the same for the user.
    expect(options.user.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(options.user.id).not.toContain(user.id);
    expect(options.user.id).toBe(authenticator.userHandle);
    expect(options.excludeCredentials.map((credential) => credential.id)).toEqual([authenticator.credentialId]);
  });

  it.each<Algorithm>(["ES256", "EdDSA", "RS256"])(
    "stores a %s passkey's public key as a JWK, and lists it without the key",
    async (algorithm) => {
      const { user, tokens, authenticator, passkey } = await withPasskey(algorithm);
      const [row] = await database().select().from(passkeys).where(eq(passkeys.userId, user.id));
      expect(row).toMatchObject({
        credentialId: authenticator.credentialId,
        algorithm: { ES256: -7, EdDSA: -8, RS256: -257 }[algorithm],
        signCount: 0,
        transports: ["internal"],
        backupEligible: true,
        backedUp: true,
      });
      expect(row?.publicKey.kty).toBe({ ES256: "EC", EdDSA: "OKP", RS256: "RSA" }[algorithm]);
      const list = await requestJson("GET", "/v1/auth/passkeys", undefined, bearer(tokens.access_token));
      expect(await list.json()).toEqual([
        {
          id: passkey.id,
          name: "Laptop",
          transports: ["internal"],
          backup_eligible: true,
          backed_up: true,
          created_at: expect.any(String),
          last_used_at: null,
        },
      ]);
      expect(await passkeyLogin(authenticator)).toHaveProperty("status", 200);
    },
  );

  it("uses a challenge once: the same response again is refused", async () => {
    const user = await createUser();
    const tokens = await login(user);
    const authenticator = await SoftwareAuthenticator.create(PAGE_ORIGIN);
    const response = await authenticator.register(await registrationOptions(tokens));
    expect((await registerWith(tokens, response)).status).toBe(201);
    await expectProblem(await registerWith(tokens, response), 400, "invalid_passkey");
  });

  it("keeps only the newest registration challenge of a user", async () => {
    const user = await createUser();
    const tokens = await login(user);
    const authenticator = await SoftwareAuthenticator.create(PAGE_ORIGIN);
    const older = await registrationOptions(tokens);
    await registrationOptions(tokens);
    await expectProblem(await registerWith(tokens, await authenticator.register(older)), 400, "invalid_passkey");
  });

  it("refuses another user's challenge", async () => {
    const owner = await login(await createUser());
    const other = await login(await createUser());
    const authenticator = await SoftwareAuthenticator.create(PAGE_ORIGIN);
    const response = await authenticator.register(await registrationOptions(owner));
    await expectProblem(await registerWith(other, response), 400, "invalid_passkey");
  });

  it.each<[string, Bend]>([
    ["another origin", { origin: "https://evil.example" }],
    ["another RP ID", { rpId: "evil.example" }],
    ["the login ceremony's type", { type: "webauthn.get" }],
    ["no user verification", { userVerified: false }],
    ["a cross-origin frame", { crossOrigin: true }],
    ["a public key off its curve", { offCurveKey: true }],
  ])("refuses a response from %s, and logs why", async (_name, bend) => {
    const user = await createUser();
    const tokens = await login(user);
    const authenticator = await SoftwareAuthenticator.create(PAGE_ORIGIN);
    const response = await authenticator.register(await registrationOptions(tokens), bend);
    let status = 0;
    const lines = await logLines(async () => {
      const refused = await registerWith(tokens, response);
      status = refused.status;
      await expectProblem(refused, 400, "invalid_passkey");
    });
    expect(status).toBe(400);
    expect(lines).toContainEqual(expect.objectContaining({ event: "passkey_rejected", user_id: user.id }));
    expect(await database().select().from(passkeys).where(eq(passkeys.userId, user.id))).toEqual([]);
  });

  it("keeps a credential to one account: registering it for another is 409", async () => {
    const { authenticator } = await withPasskey();
    const other = await login(await createUser());
    const response = await authenticator.register(await registrationOptions(other));
    await expectProblem(await registerWith(other, response), 409, "conflict");
  });

  it("renames and deletes only the caller's own passkeys", async () => {
    const { tokens, passkey } = await withPasskey();
    const stranger = await login(await createUser());
    const path = `/v1/auth/passkeys/${passkey.id}`;
    await expectProblem(
      await requestJson("PATCH", path, { name: "Mine now" }, bearer(stranger.access_token)),
      404,
      "not_found",
    );
    await expectProblem(await requestJson("DELETE", path, undefined, bearer(stranger.access_token)), 404, "not_found");
    const renamed = await requestJson("PATCH", path, { name: "  Phone  " }, bearer(tokens.access_token));
    expect(await renamed.json()).toMatchObject({ id: passkey.id, name: "Phone" });
    expect((await requestJson("DELETE", path, undefined, bearer(tokens.access_token))).status).toBe(204);
    await expectProblem(await requestJson("DELETE", path, undefined, bearer(tokens.access_token)), 404, "not_found");
  });

  it("needs an access token, not an API key or nothing", async () => {
    await expectProblem(await requestJson("POST", "/v1/auth/passkeys/register/options"), 401, "unauthorized");
    await expectProblem(await requestJson("GET", "/v1/auth/passkeys"), 401, "unauthorized");
  });
});

/** Base64url texts no encoder makes: lengths of 1 mod 4 (`atob` throws on them) and non-zero pad bits. */
const MALFORMED_BASE64URL = ["0", "AAAAA", "AB"];

describe("passkey responses", () => {
  it.each(["clientDataJSON", "attestationObject"])(
    "refuses a registration whose %s is not canonical base64url with 400 invalid_passkey",
    async (field) => {
      const tokens = await login(await createUser());
      const authenticator = await SoftwareAuthenticator.create(PAGE_ORIGIN);
      const response = await authenticator.register(await registrationOptions(tokens));
      for (const text of MALFORMED_BASE64URL) {
        const malformed = { ...response, response: { ...response.response, [field]: text } };
        await expectProblem(await registerWith(tokens, malformed), 400, "invalid_passkey");
      }
    },
  );

  it.each(["clientDataJSON", "authenticatorData", "signature"])(
    "refuses a login whose %s is not canonical base64url with 400 invalid_passkey",
    async (field) => {
      const { authenticator } = await withPasskey();
      const response = await authenticator.assert(await loginOptions());
      for (const text of MALFORMED_BASE64URL) {
        const malformed = { ...response, response: { ...response.response, [field]: text } };
        await expectProblem(await logInWith(malformed), 400, "invalid_passkey");
      }
    },
  );
});

describe("passkey login", () => {
  it("answers as a password login does: tokens for /me, and the passkey's last use recorded", async () => {
    const { user, authenticator, passkey } = await withPasskey();
    const response = await passkeyLogin(authenticator);
    expect(response.status).toBe(200);
    const tokens = (await response.json()) as TokenPair;
    expect(tokens).toMatchObject({ token_type: "bearer", refresh_token: expect.any(String) });
    const me = await requestJson("GET", "/v1/auth/me", undefined, bearer(tokens.access_token));
    expect(await me.json()).toMatchObject({ id: user.id });
    const [row] = await database().select().from(passkeys).where(eq(passkeys.id, passkey.id));
    expect(row?.signCount).toBe(1);
    expect(row?.lastUsedAt).toBeInstanceOf(Date);
  });

  it("sets cookies for the cookie flow from an allowed origin, and refuses a foreign one", async () => {
    const { authenticator } = await withPasskey();
    const cookie = await logInWith(
      await authenticator.assert(await loginOptions()),
      { flow: "cookie" },
      { Origin: ALLOWED_ORIGIN },
    );
    expect(cookie.status).toBe(204);
    expect(cookie.headers.getSetCookie().map((line) => line.split("=")[0])).toEqual([
      "gatehouse_access",
      "gatehouse_refresh",
    ]);
    const foreign = await logInWith(
      await authenticator.assert(await loginOptions()),
      { flow: "cookie" },
      { Origin: "https://evil.example" },
    );
    await expectProblem(foreign, 403, "forbidden");
  });

  it("satisfies the second factor: an account with TOTP gets tokens from its passkey", async () => {
    const { user, authenticator } = await withPasskey();
    await database().update(users).set({ totpSecret: "sealed-elsewhere" }).where(eq(users.id, user.id));
    const password = await requestJson("POST", "/v1/auth/login", { login: user.email, password: user.password });
    expect(await password.json()).toMatchObject({ mfa_required: true });
    expect(await (await passkeyLogin(authenticator)).json()).toMatchObject({ token_type: "bearer" });
  });

  it("answers every login hint alike, with no credential ids: an account with passkeys, one without, an unknown login", async () => {
    const { user, authenticator } = await withPasskey();
    const without = await createUser();
    const answers = await Promise.all(
      [
        { login: user.username.toUpperCase() },
        { login: user.email },
        { login: without.email },
        { login: "nobody@example.com" },
        {},
      ].map(async (body) => {
        const response = await requestJson("POST", "/v1/auth/passkeys/login/options", body);
        expect(response.status).toBe(200);
        return (await response.json()) as Record<string, unknown>;
      }),
    );
    for (const options of answers) {
      expect(options).toEqual({
        challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        rpId: RP_ID,
        timeout: 300_000,
        userVerification: "required",
      });
      expect(JSON.stringify(options)).not.toContain(authenticator.credentialId);
    }
    // The passkey is discoverable, so the browser finds it without a list.
    expect((await logInWith(await authenticator.assert(answers[0] as unknown as RequestOptions))).status).toBe(200);
  });

  it("uses a challenge once, even when two logins race with it", async () => {
    const { authenticator } = await withPasskey();
    const options = await loginOptions();
    const first = await authenticator.assert(options);
    const second = await authenticator.assert(options);
    const answers = await Promise.all([logInWith(first), logInWith(second)]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 400]);
    await expectProblem(await logInWith(first), 400, "invalid_passkey");
  });

  it.each<[string, Bend]>([
    ["another origin", { origin: "https://evil.example" }],
    ["another RP ID", { rpId: "evil.example" }],
    ["the registration ceremony's type", { type: "webauthn.create" }],
    ["no user verification", { userVerified: false }],
  ])("refuses an assertion from %s", async (_name, bend) => {
    const { authenticator } = await withPasskey();
    await expectProblem(await passkeyLogin(authenticator, bend), 400, "invalid_passkey");
  });

  it("refuses a signature counter that does not move forward, and logs it as a security event", async () => {
    const { user, authenticator, passkey } = await withPasskey();
    expect((await passkeyLogin(authenticator, { counter: 5 })).status).toBe(200);
    for (const counter of [5, 3]) {
      let status = 0;
      const lines = await logLines(async () => {
        status = (await passkeyLogin(authenticator, { counter })).status;
      });
      expect(status).toBe(401);
      expect(lines).toContainEqual(
        expect.objectContaining({
          event: "passkey_sign_count_regression",
          security_event: true,
          user_id: user.id,
          passkey_id: passkey.id,
          stored: 5,
          presented: counter,
        }),
      );
    }
    expect((await passkeyLogin(authenticator, { counter: 6 })).status).toBe(200);
  });

  it("accepts authenticators that keep no counter (always 0)", async () => {
    const { authenticator } = await withPasskey();
    for (let i = 0; i < 2; i += 1) expect((await passkeyLogin(authenticator, { counter: 0 })).status).toBe(200);
  });

  it("refuses a signature another key made, and counts it in the account lock", async () => {
    const { authenticator } = await withPasskey();
    const impostor = await SoftwareAuthenticator.create(PAGE_ORIGIN);
    Object.assign(impostor, { credentialId: authenticator.credentialId, userHandle: authenticator.userHandle });
    // A lock after 3 failures per client, and room in the per-IP login limit to reach it.
    const app = createApp();
    const ip = freshIp();
    const logInFrom = async (from: SoftwareAuthenticator) =>
      requestApp(
        app,
        "/v1/auth/passkeys/login",
        {
          method: "POST",
          headers: { "Content-Type": "application/json", "CF-Connecting-IP": ip },
          body: JSON.stringify({ response: await from.assert(await loginOptions()) }),
        },
        { LOGIN_FAILURES_PER_CLIENT: "3", RATE_LIMIT_LOGIN_PER_MINUTE: "100" },
      );
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await expectProblem(await logInFrom(impostor), 401, "invalid_credentials");
    }
    // Locked for this client, for the real passkey too; another client still logs in.
    await expectProblem(await logInFrom(authenticator), 429, "rate_limited");
    expect((await passkeyLogin(authenticator)).status).toBe(200);
  });

  it.each<Algorithm>(["ES256", "EdDSA", "RS256"])(
    "refuses a %s signature that is cut short or empty, with 401 and not an error",
    async (algorithm) => {
      const { authenticator } = await withPasskey(algorithm);
      for (const keep of [7, 0]) {
        const assertion = await authenticator.assert(await loginOptions());
        // Cut as bytes: a cut base64url text is malformed (400), not a short signature.
        const signature = toBase64Url(fromBase64Url(assertion.response.signature).slice(0, keep)) || "AA";
        const response = { ...assertion, response: { ...assertion.response, signature } };
        await expectProblem(await logInWith(response), 401, "invalid_credentials");
      }
    },
  );

  it("refuses a user handle that is not the account's", async () => {
    const { authenticator } = await withPasskey();
    authenticator.userHandle = "c29tZW9uZS1lbHNl";
    await expectProblem(await passkeyLogin(authenticator), 401, "invalid_credentials");
  });

  it("refuses a deleted passkey and a deactivated account with one answer", async () => {
    const deleted = await withPasskey();
    await requestJson(
      "DELETE",
      `/v1/auth/passkeys/${deleted.passkey.id}`,
      undefined,
      bearer(deleted.tokens.access_token),
    );
    await expectProblem(await passkeyLogin(deleted.authenticator), 401, "invalid_credentials");

    const deactivated = await withPasskey();
    await database().update(users).set({ isActive: false }).where(eq(users.id, deactivated.user.id));
    await expectProblem(await passkeyLogin(deactivated.authenticator), 401, "invalid_credentials");
  });

  it("answers 404 on every passkey route when PASSKEYS is false", async () => {
    const app = createApp();
    const response = await requestApp(
      app,
      "/v1/auth/passkeys/login/options",
      { method: "POST", headers: { "Content-Type": "application/json", "CF-Connecting-IP": freshIp() }, body: "{}" },
      { PASSKEYS: "false" },
    );
    await expectProblem(response, 404, "not_found");
  });
});
