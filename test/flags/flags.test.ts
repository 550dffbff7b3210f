import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import {
  bearer,
  createKey,
  createUser,
  expectProblem,
  freshIp,
  login,
  logLines,
  requestApp,
  requestJson,
  withKey,
} from "../support/harness.ts";

describe("GET /v1/flags", () => {
  it("reports FEATURE_<NAME> bindings that are true or false, lower-cased", async () => {
    const tokens = await login(await createUser());
    const response = await requestApp(
      createApp(),
      "/v1/flags",
      { headers: { ...bearer(tokens.access_token), "CF-Connecting-IP": freshIp() } },
      { FEATURE_NEW_DASHBOARD: "true", FEATURE_BETA_EXPORT: "false", FEATURE_HALF_DONE: "maybe", NOT_A_FLAG: "true" },
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ new_dashboard: true, beta_export: false });
  });

  it("answers {} without flags, for tokens and keys alike, and 401 without credentials", async () => {
    const tokens = await login(await createUser());
    const { key } = await createKey(tokens.access_token, { scopes: ["notes:read"] });
    expect(await (await requestJson("GET", "/v1/flags", undefined, bearer(tokens.access_token))).json()).toEqual({});
    expect((await requestJson("GET", "/v1/flags", undefined, withKey(key))).status).toBe(200);
    await expectProblem(await requestJson("GET", "/v1/flags"), 401, "unauthorized");
  });
});

describe("analytics", () => {
  it("tracks registration, login and key creation through the log-backed default, with no email or secret", async () => {
    const lines = await logLines(async () => {
      const user = await createUser();
      const tokens = await login(user);
      await createKey(tokens.access_token, { scopes: ["notes:read"] });
    });
    const analytics = lines.filter((line) => line.event === "analytics");
    expect(analytics.map((line) => [line.kind, line.name ?? null])).toEqual([
      ["identify", null],
      ["track", "user_registered"],
      ["track", "user_logged_in"],
      ["track", "api_key_created"],
    ]);
    expect(JSON.stringify(analytics)).not.toMatch(/@example\.com|gate_|password/);
  });
});
