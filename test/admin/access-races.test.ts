import { describe, expect, it } from "vitest";
import { adminSecret, bearer, createUser, requestJson, type TestUser, type TokenPair } from "../support/harness.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Each round waits for four logins, whose password hashes run one after another in the isolate. */
const RACE_TIMEOUT = 90_000;

/** Starts `count` parallel password logins of `user`, each from its own address. */
const startLogins = (user: TestUser, count: number) =>
  Array.from({ length: count }, () =>
    requestJson("POST", "/v1/auth/login", { login: user.email, password: user.password }),
  );

/** The tokens of the logins that succeeded. */
async function succeeded(logins: Promise<Response>[]): Promise<TokenPair[]> {
  const responses = await Promise.all(logins);
  return Promise.all(
    responses.filter((response) => response.ok).map((response) => response.json() as Promise<TokenPair>),
  );
}

const setRole = (user: TestUser, role: "user" | "admin") =>
  requestJson("PATCH", `/v1/admin/users/${user.id}/role`, { role }, adminSecret());

/** What an access token may do on an admin route, and again after its session is refreshed. */
async function adminStatuses(tokens: TokenPair): Promise<number[]> {
  const before = await requestJson("GET", "/v1/admin/users", undefined, bearer(tokens.access_token));
  const refreshed = await requestJson("POST", "/v1/auth/refresh", { refresh_token: tokens.refresh_token });
  if (!refreshed.ok) return [before.status, refreshed.status];
  const { access_token } = (await refreshed.json()) as TokenPair;
  const after = await requestJson("GET", "/v1/admin/users", undefined, bearer(access_token));
  return [before.status, after.status];
}

// The finding these reproduce: login read the role at its start and stored it in the new
// session, while a role change only reached sessions whose row already existed.
describe("role and activation changes racing logins", () => {
  it(
    "never leaves an admin session behind a demotion",
    async () => {
      const user = await createUser();
      for (const delayMs of [0, 40, 80, 120, 160, 240]) {
        expect((await setRole(user, "admin")).status).toBe(200);
        const logins = startLogins(user, 4);
        await sleep(delayMs);
        expect((await setRole(user, "user")).status).toBe(200);
        for (const tokens of await succeeded(logins)) {
          expect(await adminStatuses(tokens), `demoted ${delayMs} ms after the logins began`).toEqual([403, 403]);
        }
      }
    },
    RACE_TIMEOUT,
  );

  it(
    "never leaves a live session behind a deactivation",
    async () => {
      for (const delayMs of [0, 60, 120, 200]) {
        const user = await createUser();
        const logins = startLogins(user, 4);
        await sleep(delayMs);
        const deactivated = await requestJson(
          "PATCH",
          `/v1/admin/users/${user.id}`,
          { is_active: false },
          adminSecret(),
        );
        expect(deactivated.status).toBe(200);
        for (const tokens of await succeeded(logins)) {
          // Notes read no user row: only the session check stands between them and a deactivated user.
          const notes = await requestJson("GET", "/v1/notes", undefined, bearer(tokens.access_token));
          expect(notes.status, `deactivated ${delayMs} ms after the logins began`).toBe(401);
          const refreshed = await requestJson("POST", "/v1/auth/refresh", { refresh_token: tokens.refresh_token });
          expect(refreshed.status).toBe(401);
        }
      }
    },
    RACE_TIMEOUT,
  );
});
