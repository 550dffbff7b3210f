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
  sqlRequests,
  type TokenPair,
} from "../support/harness.ts";

const app = createApp();
const refresh = (token: string) => requestJson("POST", "/v1/auth/refresh", { refresh_token: token });

/** The app under other settings (a short grace or lifetime), still through HTTP inside workerd. */
const withSettings = (bindings: Record<string, string>) => ({
  login: async (user: { email: string; password: string }) => {
    const response = await requestApp(
      app,
      "/v1/auth/login",
      {
        method: "POST",
        headers: { "Content-Type": "application/json", "CF-Connecting-IP": freshIp() },
        body: JSON.stringify({ login: user.email, password: user.password }),
      },
      bindings,
    );
    expect(response.status).toBe(200);
    return (await response.json()) as TokenPair;
  },
  refresh: (token: string) =>
    requestApp(
      app,
      "/v1/auth/refresh",
      {
        method: "POST",
        headers: { "Content-Type": "application/json", "CF-Connecting-IP": freshIp() },
        body: JSON.stringify({ refresh_token: token }),
      },
      bindings,
    ),
});

const me = (tokens: TokenPair) => requestJson("GET", "/v1/auth/me", undefined, bearer(tokens.access_token));

describe("POST /v1/auth/refresh", () => {
  it("rotates: a new refresh token in the same session, in one SQL request", async () => {
    const tokens = await login(await createUser());
    const before = await sqlRequests();
    const response = await refresh(tokens.refresh_token);
    expect(await sqlRequests()).toBe(before + 1);
    expect(response.status).toBe(200);
    const rotated = (await response.json()) as TokenPair;
    expect(rotated.refresh_token).not.toBe(tokens.refresh_token);
    expect(rotated.refresh_token.split(".")[0]).toBe(tokens.refresh_token.split(".")[0]);
    expect((await me(rotated)).status).toBe(200);
    expect((await refresh(rotated.refresh_token)).status).toBe(200);
  });

  it("gives 20 parallel refreshes with one token the same successor, never two live ones", async () => {
    const tokens = await login(await createUser());
    const responses = await Promise.all(Array.from({ length: 20 }, () => refresh(tokens.refresh_token)));
    expect(responses.map((response) => response.status)).toEqual(Array(20).fill(200));
    const successors = new Set(
      await Promise.all(responses.map(async (response) => ((await response.json()) as TokenPair).refresh_token)),
    );
    expect(successors.size).toBe(1);
    const [successor] = successors;
    expect((await refresh(successor as string)).status).toBe(200);
  });

  it("returns the same successor to the predecessor within the grace window", async () => {
    const tokens = await login(await createUser());
    const first = (await (await refresh(tokens.refresh_token)).json()) as TokenPair;
    const again = (await (await refresh(tokens.refresh_token)).json()) as TokenPair;
    expect(again.refresh_token).toBe(first.refresh_token);
  });

  it("treats reuse after the grace window as theft: the family, successor included, is revoked", async () => {
    const short = withSettings({ REFRESH_REUSE_GRACE_SECONDS: "1" });
    const tokens = await short.login(await createUser());
    const successor = (await (await short.refresh(tokens.refresh_token)).json()) as TokenPair;
    await new Promise((resolve) => setTimeout(resolve, 1_100));

    let reused = new Response();
    const lines = await logLines(async () => {
      reused = await short.refresh(tokens.refresh_token);
    });
    await expectProblem(reused, 401, "refresh_token_reused");
    expect(lines.some((line) => line.event === "refresh_reuse_detected" && line.security_event)).toBe(true);
    expect(JSON.stringify(lines)).not.toContain(tokens.refresh_token);

    await expectProblem(await short.refresh(successor.refresh_token), 401, "invalid_refresh_token");
    await expectProblem(await me(successor), 401, "unauthorized");
    await expectProblem(await me(tokens), 401, "unauthorized");
  });

  it("treats any older token as reuse even inside the grace window, and a grace of 0 as none", async () => {
    const user = await createUser();
    const tokens = await login(user);
    const second = (await (await refresh(tokens.refresh_token)).json()) as TokenPair;
    await refresh(second.refresh_token);
    await expectProblem(await refresh(tokens.refresh_token), 401, "refresh_token_reused");

    const noGrace = withSettings({ REFRESH_REUSE_GRACE_SECONDS: "0" });
    const other = await noGrace.login(user);
    await noGrace.refresh(other.refresh_token);
    await expectProblem(await noGrace.refresh(other.refresh_token), 401, "refresh_token_reused");
  });

  it("refuses an expired session's refresh token", async () => {
    const brief = withSettings({ REFRESH_TOKEN_TTL_SECONDS: "1" });
    const tokens = await brief.login(await createUser());
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await expectProblem(await brief.refresh(tokens.refresh_token), 401, "invalid_refresh_token");
  });

  it("refuses garbage and tampered tokens with 401 before any SQL", async () => {
    const tokens = await login(await createUser());
    const [session, generation, mac] = tokens.refresh_token.split(".") as [string, string, string];
    const before = await sqlRequests();
    for (const token of [
      "garbage",
      tokens.access_token,
      `${session}.${generation}.${mac.slice(0, -2)}AA`,
      `${session}.${Number(generation) + 1}.${mac}`,
      `${crypto.randomUUID()}.${generation}.${mac}`,
    ]) {
      await expectProblem(await refresh(token), 401, "invalid_refresh_token");
    }
    expect(await sqlRequests()).toBe(before);
    expect((await refresh(tokens.refresh_token)).status).toBe(200);
  });

  it("answers 401 missing_refresh_token with neither body nor cookie", async () => {
    await expectProblem(await requestJson("POST", "/v1/auth/refresh"), 401, "missing_refresh_token");
  });

  it("limits refreshes to 30 per minute per IP", async () => {
    const tokens = await login(await createUser());
    const ip = freshIp();
    let current = tokens.refresh_token;
    for (let i = 0; i < 30; i++) {
      const response = await requestJson(
        "POST",
        "/v1/auth/refresh",
        { refresh_token: current },
        { "CF-Connecting-IP": ip },
      );
      expect(response.status).toBe(200);
      current = ((await response.json()) as TokenPair).refresh_token;
    }
    const limited = await requestJson(
      "POST",
      "/v1/auth/refresh",
      { refresh_token: current },
      { "CF-Connecting-IP": ip },
    );
    await expectProblem(limited, 429, "rate_limited");
  });
});
