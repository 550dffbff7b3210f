import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { totpCode } from "../../src/credentials/totp.ts";
import {
  bearer,
  createUser,
  expectProblem,
  login,
  requestApp,
  requestJson,
  type TokenPair,
} from "../support/harness.ts";
import { addPasskey, loginOptions } from "../support/passkeys.ts";
import { enableTotp } from "../support/totp.ts";

const app = createApp();
/**
 * A window of three seconds, so a test can let its session's login grow stale: short to
 * wait out, long enough for the two or three requests that must fall inside it on a
 * loaded CI machine (one second was not).
 */
const SHORT_WINDOW = { REAUTH_WINDOW_SECONDS: "3" };
const stale = () => new Promise((resolve) => setTimeout(resolve, 3_100));

/** A JSON request with the session's access token, under the short window. */
const call = (method: string, path: string, tokens: TokenPair, body?: unknown) =>
  requestApp(
    app,
    path,
    {
      method,
      headers: { "Content-Type": "application/json", ...bearer(tokens.access_token) },
      body: body === undefined ? undefined : JSON.stringify(body),
    },
    SHORT_WINDOW,
  );

async function withTotp() {
  const user = await createUser();
  const tokens = await login(user);
  return { user, tokens, secret: await enableTotp(user, tokens) };
}

// Each test waits out the window once or twice.
describe("re-authentication for sensitive changes (ASVS 7.5.1)", { timeout: 20_000 }, () => {
  it("refuses a passkey added with a stale session's access token alone, until the password is given again", async () => {
    const { user, tokens } = await withTotp();
    await stale();
    await expectProblem(
      await call("POST", "/v1/auth/passkeys/register/options", tokens),
      403,
      "reauthentication_required",
    );
    await expectProblem(
      await call("POST", "/v1/auth/passkeys/register", tokens, { response: {} }),
      403,
      "reauthentication_required",
    );

    await expectProblem(
      await call("POST", "/v1/auth/reauthenticate", tokens, { password: "not it" }),
      401,
      "invalid_credentials",
    );
    const proven = await call("POST", "/v1/auth/reauthenticate", tokens, { password: user.password });
    expect(proven.status).toBe(200);
    const { reauthenticated_until } = (await proven.json()) as { reauthenticated_until: string };
    expect(Date.parse(reauthenticated_until)).toBeGreaterThan(Date.now());

    const { authenticator, passkey: added } = await addPasskey(tokens);
    const id = added.id;

    // The window closes again; deleting the passkey asks once more, here by passkey.
    await stale();
    await expectProblem(await call("DELETE", `/v1/auth/passkeys/${id}`, tokens), 403, "reauthentication_required");
    const passkey = await authenticator.assert(await loginOptions());
    expect((await call("POST", "/v1/auth/reauthenticate", tokens, { passkey })).status).toBe(200);
    expect((await call("DELETE", `/v1/auth/passkeys/${id}`, tokens)).status).toBe(204);
  });

  it("takes a current TOTP code once, and refuses another account's passkey", async () => {
    const { tokens, secret } = await withTotp();
    await stale();
    const code = await totpCode(secret, Date.now() + 30_000);
    expect((await call("POST", "/v1/auth/reauthenticate", tokens, { code })).status).toBe(200);
    await expectProblem(await call("POST", "/v1/auth/reauthenticate", tokens, { code }), 401, "invalid_mfa_code");

    const stranger = await addPasskey(await login(await createUser()));
    await expectProblem(
      await call("POST", "/v1/auth/reauthenticate", tokens, {
        passkey: await stranger.authenticator.assert(await loginOptions()),
      }),
      401,
      "invalid_credentials",
    );
  });

  it("asks for it before a never-expiring or writing key, and not for an expiring read-only one", async () => {
    const user = await createUser();
    const tokens = await login(user);
    // A fresh login is a proof of its own.
    expect((await call("POST", "/v1/keys", tokens, { name: "fresh", never_expires: true })).status).toBe(201);
    await stale();
    await expectProblem(
      await call("POST", "/v1/keys", tokens, { name: "forever", never_expires: true, scopes: ["notes:read"] }),
      403,
      "reauthentication_required",
    );
    await expectProblem(
      await call("POST", "/v1/keys", tokens, { name: "every scope" }),
      403,
      "reauthentication_required",
    );
    await expectProblem(
      await call("POST", "/v1/keys", tokens, { name: "writer", scopes: ["notes:write"], expires_in_days: 7 }),
      403,
      "reauthentication_required",
    );
    const reader = await call("POST", "/v1/keys", tokens, {
      name: "reader",
      scopes: ["notes:read"],
      expires_in_days: 7,
    });
    expect(reader.status).toBe(201);
    const { id } = (await reader.json()) as { id: string };
    await expectProblem(
      await call("POST", `/v1/keys/${id}/renew`, tokens, { never_expires: true }),
      403,
      "reauthentication_required",
    );
    expect((await call("POST", `/v1/keys/${id}/renew`, tokens, { expires_in_days: 30 })).status).toBe(200);
  });

  it("does not survive a refresh: the new access token keeps the login's time", async () => {
    const user = await createUser();
    const tokens = await login(user);
    await stale();
    const refreshed = await requestJson("POST", "/v1/auth/refresh", { refresh_token: tokens.refresh_token });
    const next = (await refreshed.json()) as TokenPair;
    await expectProblem(
      await call("POST", "/v1/auth/passkeys/register/options", next),
      403,
      "reauthentication_required",
    );
  });
});
