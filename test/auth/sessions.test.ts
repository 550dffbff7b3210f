import { describe, expect, it } from "vitest";
import {
  adminSecret,
  bearer,
  createUser,
  expectProblem,
  login,
  requestJson,
  sqlRequests,
  type TokenPair,
} from "../support/harness.ts";

const me = (tokens: TokenPair) => requestJson("GET", "/v1/auth/me", undefined, bearer(tokens.access_token));
const refresh = (tokens: TokenPair) => requestJson("POST", "/v1/auth/refresh", { refresh_token: tokens.refresh_token });

/** Both tokens of a session are refused at once. */
async function expectEnded(tokens: TokenPair) {
  await expectProblem(await me(tokens), 401, "unauthorized");
  expect((await refresh(tokens)).status).toBe(401);
}

async function expectLive(tokens: TokenPair) {
  expect((await me(tokens)).status).toBe(200);
}

describe("GET /v1/auth/me", () => {
  it("returns the current user in one SQL request", async () => {
    const user = await createUser();
    const tokens = await login(user);
    const before = await sqlRequests();
    const response = await me(tokens);
    expect(await sqlRequests()).toBe(before + 1);
    expect(await response.json()).toMatchObject({ id: user.id, email: user.email, role: "user" });
  });
});

describe("logout", () => {
  it("ends the session of a refresh token at once; the user's other sessions keep working", async () => {
    const user = await createUser();
    const [ending, other] = [await login(user), await login(user)];
    const response = await requestJson("POST", "/v1/auth/logout", { refresh_token: ending.refresh_token });
    expect(response.status).toBe(204);
    await expectEnded(ending);
    await expectLive(other);
    expect((await refresh(other)).status).toBe(200);
  });

  it("ends the session of an access token (and /jwt/logout is the same route)", async () => {
    const user = await createUser();
    const [ending, other] = [await login(user), await login(user)];
    const response = await requestJson("POST", "/v1/auth/jwt/logout", undefined, bearer(ending.access_token));
    expect(response.status).toBe(204);
    await expectEnded(ending);
    await expectLive(other);
  });

  it("answers 204 and ends nothing for missing, garbage or forged credentials", async () => {
    const tokens = await login(await createUser());
    const [session, generation] = tokens.refresh_token.split(".");
    const forged = `${session}.${generation}.${"A".repeat(43)}`;
    for (const body of [undefined, { refresh_token: "garbage" }, { refresh_token: forged }]) {
      expect((await requestJson("POST", "/v1/auth/logout", body)).status).toBe(204);
    }
    await expectLive(tokens);
  });
});

describe("GET and DELETE /v1/auth/sessions", () => {
  it("lists the caller's live sessions, marks the current one, and ends one on DELETE", async () => {
    const user = await createUser();
    const first = await login(user, { "User-Agent": "first-browser" });
    const second = await login(user, { "User-Agent": "second-browser" });
    const response = await requestJson("GET", "/v1/auth/sessions", undefined, bearer(second.access_token));
    expect(response.status).toBe(200);
    const sessions = (await response.json()) as { id: string; current: boolean; user_agent: string; ip: string }[];
    expect(sessions).toHaveLength(2);
    expect(sessions.find((session) => session.current)?.user_agent).toBe("second-browser");
    const firstSession = sessions.find((session) => !session.current);
    expect(firstSession).toMatchObject({ user_agent: "first-browser", ip: expect.stringMatching(/^10\./) });

    const deleted = await requestJson(
      "DELETE",
      `/v1/auth/sessions/${firstSession?.id}`,
      undefined,
      bearer(second.access_token),
    );
    expect(deleted.status).toBe(204);
    await expectEnded(first);
    await expectLive(second);
    const after = (await (
      await requestJson("GET", "/v1/auth/sessions", undefined, bearer(second.access_token))
    ).json()) as unknown[];
    expect(after).toHaveLength(1);
  });

  it("answers 404 for another user's session or an unknown one, and leaves it alone", async () => {
    const owner = await login(await createUser());
    const stranger = await login(await createUser());
    const [ownerSession] = (await (
      await requestJson("GET", "/v1/auth/sessions", undefined, bearer(owner.access_token))
    ).json()) as { id: string }[];
    for (const id of [ownerSession?.id, crypto.randomUUID()]) {
      const response = await requestJson("DELETE", `/v1/auth/sessions/${id}`, undefined, bearer(stranger.access_token));
      await expectProblem(response, 404, "not_found");
    }
    await expectLive(owner);
    await expectProblem(
      await requestJson("DELETE", "/v1/auth/sessions/not-a-uuid", undefined, bearer(owner.access_token)),
      422,
      "validation_failed",
    );
  });
});

describe("POST /v1/auth/password", () => {
  it("changes the password and ends every other session, keeping the current one", async () => {
    const user = await createUser();
    const [current, other] = [await login(user), await login(user)];
    const response = await requestJson(
      "POST",
      "/v1/auth/password",
      { current_password: user.password, new_password: "a brand new password" },
      bearer(current.access_token),
    );
    expect(response.status).toBe(204);
    await expectEnded(other);
    await expectLive(current);
    await expectProblem(
      await requestJson("POST", "/v1/auth/login", { login: user.email, password: user.password }),
      401,
      "invalid_credentials",
    );
    await login({ email: user.email, password: "a brand new password" });
  });

  it("refuses a wrong current password (401) and a weak new one (422)", async () => {
    const user = await createUser();
    const tokens = await login(user);
    await expectProblem(
      await requestJson(
        "POST",
        "/v1/auth/password",
        { current_password: "wrong", new_password: "a brand new password" },
        bearer(tokens.access_token),
      ),
      401,
      "invalid_credentials",
    );
    await expectProblem(
      await requestJson(
        "POST",
        "/v1/auth/password",
        { current_password: user.password, new_password: "short" },
        bearer(tokens.access_token),
      ),
      422,
      "validation_failed",
    );
    await expectLive(tokens);
  });
});

describe("deactivation", () => {
  it("ends every session of the user at once, and reactivation does not revive them", async () => {
    const user = await createUser();
    const sessions = [await login(user), await login(user)];
    const bystander = await login(await createUser());
    const response = await requestJson("PATCH", `/v1/admin/users/${user.id}`, { is_active: false }, adminSecret());
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: user.id, is_active: false });
    for (const tokens of sessions) await expectEnded(tokens);
    await expectLive(bystander);

    await requestJson("PATCH", `/v1/admin/users/${user.id}`, { is_active: true }, adminSecret());
    for (const tokens of sessions) await expectEnded(tokens);
    await expectLive(await login(user));
  });
});
