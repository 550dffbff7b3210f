import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { DEFAULT_SCOPES } from "../../src/api-keys/scopes.ts";
import { createApp } from "../../src/app.ts";
import { apiKeys } from "../../src/db/schema/index.ts";
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
  sqlRequests,
  withKey,
} from "../support/harness.ts";

const newUser = async () => {
  const user = await createUser();
  return { ...user, tokens: await login(user) };
};
const service = (key: string, headers: Record<string, string> = withKey(key)) =>
  requestJson("GET", "/v1/protected/service", undefined, headers);

describe("POST /v1/keys", () => {
  it("creates a key shown only in this response, stored only as a hash", async () => {
    const owner = await newUser();
    const created = await createKey(owner.tokens.access_token, { name: "ci", scopes: ["notes:read"] });
    expect(created.key).toMatch(/^gate_[1-9A-HJ-NP-Za-km-z]{36,}$/);
    expect(created.key.startsWith(created.start)).toBe(true);
    expect(created).toMatchObject({
      name: "ci",
      scopes: ["notes:read"],
      user_id: owner.id,
      rate_limit_per_minute: 600,
    });
    const days = (Date.parse(created.expires_at as string) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(14.9);
    expect(days).toBeLessThanOrEqual(15);

    const listed = await requestJson("GET", "/v1/keys", undefined, bearer(owner.tokens.access_token));
    const listedText = await listed.text();
    expect(listedText).toContain(created.start);
    expect(listedText).not.toContain(created.key);
    const fetched = await requestJson("GET", `/v1/keys/${created.id}`, undefined, bearer(owner.tokens.access_token));
    expect(await fetched.text()).not.toContain(created.key);

    const [row] = await database().select().from(apiKeys).where(eq(apiKeys.id, created.id));
    expect(JSON.stringify(row)).not.toContain(created.key);
    expect(row?.keyHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("gives the default scopes to a key created without scopes, and honours never_expires", async () => {
    const owner = await newUser();
    const created = await createKey(owner.tokens.access_token, { never_expires: true });
    expect(created.scopes).toEqual([...DEFAULT_SCOPES]);
    expect(created.expires_at).toBeNull();
  });

  it("refuses a second active key with the same name (409), but not after revoking the first", async () => {
    const owner = await newUser();
    const first = await createKey(owner.tokens.access_token, { name: "deploy" });
    const again = await requestJson("POST", "/v1/keys", { name: "deploy" }, bearer(owner.tokens.access_token));
    await expectProblem(again, 409, "conflict");
    await requestJson("DELETE", `/v1/keys/${first.id}`, undefined, bearer(owner.tokens.access_token));
    await createKey(owner.tokens.access_token, { name: "deploy" });
    // Another user may use the name too.
    await createKey((await newUser()).tokens.access_token, { name: "deploy" });
  });

  it("validates the body: name, scopes from the closed set, expires_in_days 1..3650", async () => {
    const owner = await newUser();
    for (const body of [
      { name: "" },
      { name: "x", scopes: ["admin:everything"] },
      { name: "x", expires_in_days: 0 },
      { name: "x", expires_in_days: 3651 },
      { name: "x", rate_limit_per_minute: 0 },
    ]) {
      await expectProblem(
        await requestJson("POST", "/v1/keys", body, bearer(owner.tokens.access_token)),
        422,
        "validation_failed",
      );
    }
  });

  it("lets no API key manage keys (403), whatever its scopes", async () => {
    const owner = await newUser();
    const { key, id } = await createKey(owner.tokens.access_token);
    await expectProblem(await requestJson("POST", "/v1/keys", { name: "child" }, withKey(key)), 403, "forbidden");
    await expectProblem(await requestJson("GET", "/v1/keys", undefined, withKey(key)), 403, "forbidden");
    await expectProblem(await requestJson("DELETE", `/v1/keys/${id}`, undefined, withKey(key)), 403, "forbidden");
    await expectProblem(await requestJson("GET", "/v1/auth/sessions", undefined, withKey(key)), 403, "forbidden");
  });

  it("hides other users' keys: 404 on get, revoke, renew, rotate and usage", async () => {
    const owner = await newUser();
    const stranger = await newUser();
    const { id, key } = await createKey(owner.tokens.access_token);
    for (const [method, path, body] of [
      ["GET", `/v1/keys/${id}`, undefined],
      ["DELETE", `/v1/keys/${id}`, undefined],
      ["POST", `/v1/keys/${id}/renew`, { expires_in_days: 5 }],
      ["POST", `/v1/keys/${id}/rotate`, {}],
      ["GET", `/v1/keys/${id}/usage`, undefined],
    ] as const) {
      await expectProblem(
        await requestJson(method, path, body, bearer(stranger.tokens.access_token)),
        404,
        "not_found",
      );
    }
    expect((await service(key)).status).toBe(200);
  });
});

describe("a user's own keys are capped", () => {
  it("at API_KEY_USER_MAX_RATE_LIMIT_PER_MINUTE (422); an admin may issue more, to a user or a service", async () => {
    const user = await createUser();
    const { access_token } = await login(user);
    const mine = await requestJson(
      "POST",
      "/v1/keys",
      { name: "fast", rate_limit_per_minute: 1_000_000 },
      bearer(access_token),
    );
    await expectProblem(mine, 422, "validation_failed");
    const issued = { name: "fast", rate_limit_per_minute: 1_000_000 };
    const onBehalf = await requestJson("POST", "/v1/admin/api-keys", { ...issued, user_id: user.id }, adminSecret());
    expect(onBehalf.status).toBe(201);
    const service = await requestJson("POST", "/v1/admin/api-keys", { ...issued, name: "service fast" }, adminSecret());
    expect(((await service.json()) as { rate_limit_per_minute: number }).rate_limit_per_minute).toBe(1_000_000);
  });

  it("at API_KEY_USER_MAX_KEYS live keys (409); a revoked key frees its place", async () => {
    const app = createApp();
    const { access_token } = await login(await createUser());
    const create = (name: string) =>
      requestApp(
        app,
        "/v1/keys",
        {
          method: "POST",
          headers: { "Content-Type": "application/json", ...bearer(access_token) },
          body: JSON.stringify({ name }),
        },
        { API_KEY_USER_MAX_KEYS: "2" },
      );
    expect((await create("one")).status).toBe(201);
    const second = (await (await create("two")).json()) as { id: string };
    await expectProblem(await create("three"), 409, "conflict");
    await requestJson("DELETE", `/v1/keys/${second.id}`, undefined, bearer(access_token));
    expect((await create("three")).status).toBe(201);
  });
});

describe("using a key", () => {
  it("refuses a malformed or bad-checksum key with 401 before any SQL", async () => {
    const owner = await newUser();
    const { key } = await createKey(owner.tokens.access_token);
    const flipped = `${key.slice(0, 10)}${key[10] === "a" ? "b" : "a"}${key.slice(11)}`;
    const before = await sqlRequests();
    for (const bad of ["nope", `${key}x`, flipped, key.replace("gate_", "other_"), `gate_${"1".repeat(40)}`]) {
      await expectProblem(await service(bad), 401, "invalid_api_key");
    }
    expect(await sqlRequests()).toBe(before);
  });

  it("verifies with one SQL request, then from the isolate cache with none; a revoke is seen at once", async () => {
    const owner = await newUser();
    const { key, id } = await createKey(owner.tokens.access_token);
    // Each count includes the request's usage write, one SQL request after the response.
    let before = await sqlRequests();
    expect((await service(key)).status).toBe(200);
    expect(await sqlRequests()).toBe(before + 1 + 1);

    before = await sqlRequests();
    expect((await service(key)).status).toBe(200);
    expect(await sqlRequests()).toBe(before + 1);

    await requestJson("DELETE", `/v1/keys/${id}`, undefined, bearer(owner.tokens.access_token));
    await expectProblem(await service(key), 401, "api_key_revoked");
  });

  it("verifies every request with API_KEY_CACHE_TTL=0: one SQL request each, plus the usage write", async () => {
    const owner = await newUser();
    const { key } = await createKey(owner.tokens.access_token);
    const app = createApp();
    for (let i = 0; i < 2; i++) {
      const before = await sqlRequests();
      const response = await requestApp(
        app,
        "/v1/protected/service",
        { headers: withKey(key) },
        { API_KEY_CACHE_TTL: "0" },
      );
      expect(response.status).toBe(200);
      // The verification, and the usage write after the response.
      expect(await sqlRequests()).toBe(before + 1 + 1);
    }
  });

  it("answers api_key_expired for an expired key, and a renewed key works again", async () => {
    const owner = await newUser();
    const { key, id } = await createKey(owner.tokens.access_token);
    await database().update(apiKeys).set({ expiresAt: sql`now() - interval '1 minute'` }).where(eq(apiKeys.id, id));
    await expectProblem(await service(key), 401, "api_key_expired");

    const renewed = await requestJson(
      "POST",
      `/v1/keys/${id}/renew`,
      { expires_in_days: 30 },
      bearer(owner.tokens.access_token),
    );
    expect(renewed.status).toBe(200);
    const days = (Date.parse(((await renewed.json()) as { expires_at: string }).expires_at) - Date.now()) / 86_400_000;
    expect(Math.round(days)).toBe(30);
    expect((await service(key)).status).toBe(200);
  });

  it("refuses to renew or rotate a revoked key (409)", async () => {
    const owner = await newUser();
    const { id } = await createKey(owner.tokens.access_token);
    await requestJson("DELETE", `/v1/keys/${id}`, undefined, bearer(owner.tokens.access_token));
    for (const action of ["renew", "rotate"]) {
      await expectProblem(
        await requestJson(
          "POST",
          `/v1/keys/${id}/${action}`,
          { expires_in_days: 3 },
          bearer(owner.tokens.access_token),
        ),
        409,
        "conflict",
      );
    }
  });

  it("rotates: the new secret works, the old one during the grace period and not after", async () => {
    const owner = await newUser();
    const old = await createKey(owner.tokens.access_token);
    expect((await service(old.key)).status).toBe(200);
    // Room for the old secret's uses on a loaded machine, short enough to wait out.
    const graceMs = 2_000;
    const response = await requestJson(
      "POST",
      `/v1/keys/${old.id}/rotate`,
      { grace_seconds: graceMs / 1000 },
      bearer(owner.tokens.access_token),
    );
    // The grace began before the answer, so it has surely ended graceMs after it.
    const graceOverBy = Date.now() + graceMs + 100;
    expect(response.status).toBe(201);
    expect((await service(old.key)).status).toBe(200);
    const rotated = (await response.json()) as { id: string; key: string; start: string };
    expect(rotated.id).toBe(old.id);
    expect(rotated.key).not.toBe(old.key);
    expect((await service(rotated.key)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, graceOverBy - Date.now()));
    await expectProblem(await service(old.key), 401, "invalid_api_key");
    expect((await service(rotated.key)).status).toBe(200);
  });

  it("ends the old secret at once when rotated without grace", async () => {
    const owner = await newUser();
    const old = await createKey(owner.tokens.access_token);
    expect((await service(old.key)).status).toBe(200);
    await requestJson("POST", `/v1/keys/${old.id}/rotate`, {}, bearer(owner.tokens.access_token));
    await expectProblem(await service(old.key), 401, "invalid_api_key");
  });

  it("acts as its owner within its scopes: /me needs profile:read", async () => {
    const owner = await newUser();
    const reader = await createKey(owner.tokens.access_token, { scopes: ["profile:read"] });
    const notesOnly = await createKey(owner.tokens.access_token, { scopes: ["notes:read"] });
    const me = await requestJson("GET", "/v1/auth/me", undefined, withKey(reader.key));
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ id: owner.id, email: owner.email });
    await expectProblem(
      await requestJson("GET", "/v1/auth/me", undefined, withKey(notesOnly.key)),
      403,
      "insufficient_scope",
    );
  });

  it("stops every key of a deactivated owner at once", async () => {
    const owner = await newUser();
    const { key } = await createKey(owner.tokens.access_token);
    expect((await service(key)).status).toBe(200);
    await requestJson("PATCH", `/v1/admin/users/${owner.id}`, { is_active: false }, adminSecret());
    await expectProblem(await service(key), 401, "unauthorized");
  });

  it("takes the api-key header too, and the api_key query parameter only when allowed (never logging it)", async () => {
    const owner = await newUser();
    const { key } = await createKey(owner.tokens.access_token);
    expect((await service(key, { "api-key": key })).status).toBe(200);
    await expectProblem(await requestJson("GET", `/v1/protected/service?api_key=${key}`), 401, "unauthorized");
    let allowed = new Response();
    const lines = await logLines(async () => {
      allowed = await requestApp(
        createApp(),
        `/v1/protected/service?api_key=${key}`,
        { headers: { "CF-Connecting-IP": freshIp() } },
        { API_KEY_ALLOW_QUERY: "true" },
      );
    });
    expect(allowed.status).toBe(200);
    expect(JSON.stringify(lines)).not.toContain(key);
    expect(JSON.stringify(lines)).not.toContain(key.slice(10));
  });

  it("records usage after the responses: 5 calls → usage_count 5, /usage newest first", async () => {
    const owner = await newUser();
    const { key, id } = await createKey(owner.tokens.access_token);
    for (const path of ["/v1/protected/service", "/v1/protected/any", "/v1/protected/service", "/v1/protected/any"]) {
      await requestJson("GET", path, undefined, withKey(key));
    }
    await requestJson("GET", "/v1/auth/me", undefined, withKey(key));
    await afterResponses();
    const response = await requestJson("GET", `/v1/keys/${id}/usage`, undefined, bearer(owner.tokens.access_token));
    const usage = (await response.json()) as {
      total_requests: number;
      last_used_at: string;
      items: { at: string; method: string; path: string; status: number; ip: string }[];
    };
    expect(usage.total_requests).toBe(5);
    expect(usage.items).toHaveLength(5);
    expect(usage.items[0]).toMatchObject({ method: "GET", path: "/v1/auth/me", status: 200 });
    expect(usage.items.map((item) => item.at)).toEqual([...usage.items.map((item) => item.at)].sort().reverse());
    expect(usage.last_used_at).toBe(usage.items[0]?.at);
    const listed = (await (
      await requestJson("GET", "/v1/keys", undefined, bearer(owner.tokens.access_token))
    ).json()) as {
      items: { id: string; usage_count: number; last_used_at: string }[];
    };
    expect(listed.items.find((item) => item.id === id)).toMatchObject({ usage_count: 5 });
  });

  it("enforces the key's own rate limit exactly: 3 of 10 parallel calls for rate_limit_per_minute 3", async () => {
    const owner = await newUser();
    const { key } = await createKey(owner.tokens.access_token, { rate_limit_per_minute: 3 });
    const responses = await Promise.all(Array.from({ length: 10 }, () => service(key)));
    expect(responses.filter((response) => response.status === 200)).toHaveLength(3);
    const refused = responses.filter((response) => response.status === 429);
    expect(refused).toHaveLength(7);
    await expectProblem(refused[0] as Response, 429, "rate_limited");
  });
});

describe("/v1/protected", () => {
  it("lets each guard take only its kind of credential", async () => {
    const owner = await newUser();
    const { key, id } = await createKey(owner.tokens.access_token);
    const token = bearer(owner.tokens.access_token);
    const call = (path: string, headers: Record<string, string>) =>
      requestJson("GET", `/v1/protected/${path}`, undefined, headers);

    expect(await (await call("user", token)).json()).toEqual({ auth: "user", user_id: owner.id });
    expect(await (await call("service", withKey(key))).json()).toEqual({
      auth: "api_key",
      user_id: owner.id,
      key_id: id,
    });
    expect(await (await call("any", token)).json()).toEqual({ auth: "user", user_id: owner.id });
    expect(await (await call("any", withKey(key))).json()).toEqual({ auth: "api_key", user_id: owner.id, key_id: id });
    await expectProblem(await call("user", withKey(key)), 401, "unauthorized");
    await expectProblem(await call("service", token), 401, "unauthorized");
    await expectProblem(await call("any", {}), 401, "unauthorized");
  });
});
