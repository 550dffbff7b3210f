import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import {
  bearer,
  createUser,
  expectProblem,
  freshIp,
  login,
  logLines,
  requestApp,
  requestJson,
} from "../support/harness.ts";

const app = createApp();

/** A SESSION_FAMILY namespace whose objects cannot be reached, as when Durable Objects are down. */
const unreachable = {
  SESSION_FAMILY: {
    idFromName: (name: string) => name,
    get: () =>
      new Proxy(
        {},
        {
          get: () => () => Promise.reject(new Error("Network connection lost.")),
        },
      ),
  },
};

const json = (method: string, body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method,
  headers: { "Content-Type": "application/json", "CF-Connecting-IP": freshIp(), ...headers },
  body: body === undefined ? undefined : JSON.stringify(body),
});

describe("session families unreachable", () => {
  it("fails closed with 503 sessions_unavailable, never 500, and recovers with them", async () => {
    const user = await createUser();
    const tokens = await login(user);

    let responses: Response[] = [];
    const lines = await logLines(async () => {
      responses = [
        await requestApp(
          app,
          "/v1/auth/me",
          { headers: { ...bearer(tokens.access_token), "CF-Connecting-IP": freshIp() } },
          unreachable,
        ),
        await requestApp(app, "/v1/auth/refresh", json("POST", { refresh_token: tokens.refresh_token }), unreachable),
        await requestApp(
          app,
          "/v1/auth/login",
          json("POST", { login: user.email, password: user.password }),
          unreachable,
        ),
      ];
    });
    for (const response of responses) await expectProblem(response, 503, "sessions_unavailable");
    expect(lines.some((line) => line.event === "sessions_unavailable")).toBe(true);
    expect(JSON.stringify(lines)).not.toContain(tokens.refresh_token);

    // With the objects back, the session is intact: nothing was rotated or revoked half-way.
    expect((await requestJson("GET", "/v1/auth/me", undefined, bearer(tokens.access_token))).status).toBe(200);
    expect((await requestJson("POST", "/v1/auth/refresh", { refresh_token: tokens.refresh_token })).status).toBe(200);
  });
});
