import { describe, expect, it } from "vitest";
import architecture from "../../docs/architecture.md?raw";
import { totpCode } from "../../src/credentials/totp.ts";
import { type AccountEvent, REVOCATION, type RevocationRule } from "../../src/services/revocation.ts";
import {
  adminSecret,
  bearer,
  createKey,
  createUser,
  login,
  request,
  requestJson,
  type TestUser,
  type TokenPair,
  withKey,
} from "../support/harness.ts";
import { emailsTo, nextEmailTo, tokenIn } from "../support/mailbox.ts";
import { addPasskey } from "../support/passkeys.ts";
import { enableTotp } from "../support/totp.ts";

/** An account with two sessions (the holder's, which makes the change, and another) and a key of its own. */
interface Account {
  user: TestUser;
  holder: TokenPair;
  other: TokenPair;
  key: string;
  secret?: Uint8Array;
}

async function account(): Promise<Account> {
  const user = await createUser();
  const holder = await login(user);
  return { user, holder, other: await login(user), key: (await createKey(holder.access_token)).key };
}

const sessionLives = async (tokens: TokenPair) =>
  (await request("/v1/protected/user", { headers: bearer(tokens.access_token) })).status === 200;
const keyWorks = async (key: string) =>
  (await request("/v1/protected/service", { headers: withKey(key) })).status === 200;
const isAdmin = async (tokens: TokenPair) =>
  (await request("/v1/admin/users", { headers: bearer(tokens.access_token) })).status === 200;

async function passwordReset({ user }: Account): Promise<void> {
  const before = emailsTo(user.email).length;
  expect((await requestJson("POST", "/v1/auth/password/forgot", { email: user.email })).status).toBe(202);
  const token = tokenIn(await nextEmailTo(user.email, before));
  const reset = await requestJson("POST", "/v1/auth/password/reset", { token, new_password: "a brand new password" });
  expect(reset.status).toBe(204);
}

const ok = (response: Response, status = 200) => expect(response.status).toBe(status);

/** How each event is caused through the API, on a fresh account (`prepare` runs before the sessions are checked). */
interface Cause {
  prepare?: (a: Account) => Promise<void>;
  cause: (a: Account) => Promise<void>;
  /** Whether the sessions live when the event comes (false: `prepare` ended them). */
  livesBefore?: boolean;
}

const setActive = (user: TestUser, isActive: boolean) =>
  requestJson("PATCH", `/v1/admin/users/${user.id}`, { is_active: isActive }, adminSecret());

const CAUSES: Record<AccountEvent, Cause> = {
  role_changed: {
    cause: async ({ user }) =>
      ok(await requestJson("PATCH", `/v1/admin/users/${user.id}/role`, { role: "admin" }, adminSecret())),
  },
  deactivated: { cause: async ({ user }) => ok(await setActive(user, false)) },
  reactivated: {
    // Deactivation ended the sessions; reactivation brings none back, and the key works again.
    livesBefore: false,
    prepare: async ({ user, key }) => {
      ok(await setActive(user, false));
      expect(await keyWorks(key)).toBe(false);
    },
    cause: async ({ user }) => ok(await setActive(user, true)),
  },
  password_changed: {
    cause: async ({ user, holder }) =>
      ok(
        await requestJson(
          "POST",
          "/v1/auth/password",
          { current_password: user.password, new_password: "another long password" },
          bearer(holder.access_token),
        ),
        204,
      ),
  },
  password_reset: {
    prepare: async ({ user }) =>
      ok(await requestJson("POST", `/v1/admin/users/${user.id}/verify-email`, {}, adminSecret())),
    cause: passwordReset,
  },
  password_reset_unverified: { cause: passwordReset },
  mfa_enabled: {
    cause: async (a) => {
      a.secret = await enableTotp(a.user, a.holder);
    },
  },
  mfa_disabled: {
    prepare: async (a) => {
      a.secret = await enableTotp(a.user, a.holder);
      a.other = await secondStepLogin(a);
    },
    cause: async ({ user, holder, secret }) =>
      ok(
        await requestJson(
          "POST",
          "/v1/auth/mfa/disable",
          // The next step: the second-step login used the current one.
          { password: user.password, code: await totpCode(secret as Uint8Array, Date.now() + 30_000) },
          bearer(holder.access_token),
        ),
        204,
      ),
  },
  mfa_reset: {
    prepare: async (a) => {
      a.secret = await enableTotp(a.user, a.holder);
      a.other = await secondStepLogin(a);
    },
    cause: async ({ user }) =>
      ok(await request(`/v1/admin/users/${user.id}/mfa`, { method: "DELETE", headers: adminSecret() }), 204),
  },
  passkey_removed: {
    cause: async ({ holder }) => {
      const { passkey } = await addPasskey(holder);
      ok(
        await request(`/v1/auth/passkeys/${passkey.id}`, { method: "DELETE", headers: bearer(holder.access_token) }),
        204,
      );
    },
  },
};

/** A login through the second step, for an account whose second factor is on (the earlier sessions ended with it). */
async function secondStepLogin({ user, secret }: Account): Promise<TokenPair> {
  const first = await requestJson("POST", "/v1/auth/login", { login: user.email, password: user.password });
  const { mfa_token } = (await first.json()) as { mfa_token: string };
  // The current step: enable used the one before.
  const code = await totpCode(secret as Uint8Array);
  const second = await requestJson("POST", "/v1/auth/mfa/verify", { mfa_token, code });
  expect(second.status).toBe(200);
  return (await second.json()) as TokenPair;
}

describe("what ends when (docs/architecture.md): one test per row of REVOCATION", () => {
  for (const [event, rule] of Object.entries(REVOCATION) as [AccountEvent, RevocationRule][]) {
    const cause = CAUSES[event];
    const title = `${event}: sessions ${rule.sessions}, access ${rule.access ? "updated" : "kept"}, key verifications ${
      rule.keyVerifications ? "renewed" : "kept"
    }, keys ${rule.keys ? "revoked" : "kept"}`;
    it(title, async () => {
      const a = await account();
      await cause.prepare?.(a);
      const before = cause.livesBefore ?? true;
      expect([await sessionLives(a.holder), await sessionLives(a.other)]).toEqual([before, before]);
      const wasAdmin = await isAdmin(a.other);

      await cause.cause(a);

      expect(await sessionLives(a.holder)).toBe(before && rule.sessions !== "all");
      expect(await sessionLives(a.other)).toBe(before && rule.sessions === "none");
      // The other session's role follows the account at its next request only where the rule carries access.
      if (before && rule.sessions === "none") expect(await isAdmin(a.other)).toBe(rule.access ? !wasAdmin : wasAdmin);
      // A key stops with its owner (deactivated) or its revocation; otherwise it keeps working.
      expect(await keyWorks(a.key)).toBe(!rule.keys && event !== "deactivated");
    }, 20_000);
  }

  it("is the table docs/architecture.md shows", () => {
    const section = architecture.slice(
      architecture.indexOf("## What ends when"),
      architecture.indexOf("## Durable Objects"),
    );
    const rows = [...section.matchAll(/^\| `([a-z_]+)`\s*\|([^|]+)\|([^|]+)\|([^|]+)\|([^|]+)\|/gm)].map(
      ([, event, sessions, access, keyVerifications, keys]) => ({
        event,
        sessions: sessions?.trim(),
        access: access?.trim() === "updated",
        keyVerifications: keyVerifications?.trim() === "renewed",
        keys: keys?.trim() === "revoked",
      }),
    );
    expect(rows).toEqual(Object.entries(REVOCATION).map(([event, rule]) => ({ event, ...rule })));
  });
});
