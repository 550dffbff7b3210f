import { describe, expect, it } from "vitest";
import {
  adminSecret,
  bearer,
  createUser,
  expectProblem,
  injectFault,
  login,
  requestJson,
  type TokenPair,
} from "../support/harness.ts";

/** Runs `during` while every batch commits but its reply is lost, then heals the database. */
async function withLostReplies<T>(during: () => Promise<T>): Promise<T> {
  const { heal } = await injectFault({ drop_batch_reply: true });
  try {
    return await during();
  } finally {
    await heal();
  }
}

/** Whether the session behind `tokens` still passes the session check (notes read no user row). */
const isLive = async (tokens: TokenPair) =>
  (await requestJson("GET", "/v1/notes", undefined, bearer(tokens.access_token))).status === 200;

// A write that committed but whose reply never came back answers 503; the caller retries,
// and the retry must end the sessions the first attempt marked ended in the database.
describe("a change whose database reply is lost after it committed", () => {
  it("deactivation: the retry ends every session", async () => {
    const user = await createUser();
    const tokens = await login(user);
    const deactivate = () => requestJson("PATCH", `/v1/admin/users/${user.id}`, { is_active: false }, adminSecret());
    await withLostReplies(async () => expectProblem(await deactivate(), 503, "database_unavailable"));
    expect((await deactivate()).status).toBe(200);
    expect(await isLive(tokens)).toBe(false);
  });

  it("password change: the retry with the same body answers 204 and ends the other sessions", async () => {
    const user = await createUser();
    const [current, other] = [await login(user), await login(user)];
    const change = { current_password: user.password, new_password: "a brand new password" };
    const changePassword = () => requestJson("POST", "/v1/auth/password", change, bearer(current.access_token));
    await withLostReplies(async () => expectProblem(await changePassword(), 503, "database_unavailable"));
    expect(await isLive(other)).toBe(true);
    expect((await changePassword()).status).toBe(204);
    expect(await isLive(other)).toBe(false);
    expect(await isLive(current)).toBe(true);
    await login({ email: user.email, password: change.new_password });
  });
});

describe("POST /v1/auth/password and the account lock", () => {
  it("counts both comparisons of a wrong request: after 5 (10 comparisons) from one client it refuses even the right one", async () => {
    const user = await createUser();
    const tokens = await login(user);
    const ip = { "CF-Connecting-IP": "198.51.100.77", ...bearer(tokens.access_token) };
    const change = (current_password: string) =>
      requestJson("POST", "/v1/auth/password", { current_password, new_password: "a brand new password" }, ip);
    for (let i = 0; i < 5; i++) await expectProblem(await change(`guess ${i}`), 401, "invalid_credentials");
    await expectProblem(await change(user.password), 429, "rate_limited");
  }, 30_000);

  it("reserves each comparison before it runs: 30 parallel wrong requests make at most 10 comparisons", async () => {
    const user = await createUser();
    const tokens = await login(user);
    const ip = { "CF-Connecting-IP": "198.51.100.78", ...bearer(tokens.access_token) };
    const responses = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        requestJson("POST", "/v1/auth/password", { current_password: `guess ${i}`, new_password: "another one!" }, ip),
      ),
    );
    const statuses = responses.map((response) => response.status);
    // A 401 made both its comparisons; a 429 made one or none.
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((status) => status === 401 || status === 429)).toHaveLength(30);
    const right = await requestJson(
      "POST",
      "/v1/auth/password",
      { current_password: user.password, new_password: "a brand new password" },
      ip,
    );
    await expectProblem(right, 429, "rate_limited");
  }, 60_000);
});
