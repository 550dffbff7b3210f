import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { sha256Hex } from "../../src/core/encoding.ts";
import { loadEnv } from "../../src/core/env.ts";
import { ipSubject } from "../../src/rate-limit/ip-subjects.ts";
import { lockOf } from "../support/audit.ts";
import {
  bearer,
  createKey,
  createUser,
  expectProblem,
  freshIp,
  login,
  requestApp,
  withKey,
} from "../support/harness.ts";

const app = createApp();

/** A Durable Object namespace that counts the objects the Worker calls (one `get` per call in our code). */
function counting<T extends Rpc.DurableObjectBranded | undefined>(namespace: DurableObjectNamespace<T>) {
  const counter = { calls: 0 };
  const wrapped = {
    idFromName: (name: string) => namespace.idFromName(name),
    get: (id: DurableObjectId) => {
      counter.calls += 1;
      return namespace.get(id);
    },
  };
  return { counter, namespace: wrapped as unknown as DurableObjectNamespace<T> };
}

/** `count` requests to `path` from one IP, under `bindings`; their statuses. */
async function statuses(count: number, path: string, headers: Record<string, string>, bindings = {}) {
  const ip = freshIp();
  const results: number[] = [];
  for (let i = 0; i < count; i++) {
    const response = await requestApp(app, path, { headers: { ...headers, "CF-Connecting-IP": ip } }, bindings);
    results.push(response.status);
  }
  return results;
}

describe("rate limits by principal", () => {
  it("limits an access token by its session, in the session check: one Durable Object call per request", async () => {
    const { access_token } = await login(await createUser());
    const limiters = counting(env.RATE_LIMITER);
    const families = counting(env.SESSION_FAMILY);
    const bindings = {
      RATE_LIMITER: limiters.namespace,
      SESSION_FAMILY: families.namespace,
      RATE_LIMIT_USER_PER_MINUTE: "4",
      RATE_LIMIT_GLOBAL_PER_MINUTE: "2",
    };
    const ip = freshIp();
    const call = () =>
      requestApp(app, "/v1/notes", { headers: { ...bearer(access_token), "CF-Connecting-IP": ip } }, bindings);
    const first = await call();
    expect(first.status).toBe(200);
    expect(first.headers.get("RateLimit-Limit")).toBe("4");
    expect([limiters.counter.calls, families.counter.calls]).toEqual([0, 1]);
    // The IP's global limit of 2 does not apply; the session's 4 does.
    for (let i = 0; i < 3; i++) expect((await call()).status).toBe(200);
    await expectProblem(await call(), 429, "rate_limited");
    expect([limiters.counter.calls, families.counter.calls]).toEqual([0, 5]);
  });

  it("gives each session its own budget", async () => {
    const user = await createUser();
    const [one, two] = [await login(user), await login(user)];
    const limited = { RATE_LIMIT_USER_PER_MINUTE: "2" };
    expect(await statuses(3, "/v1/notes", bearer(one.access_token), limited)).toEqual([200, 200, 429]);
    expect(await statuses(2, "/v1/notes", bearer(two.access_token), limited)).toEqual([200, 200]);
  });

  it("limits an API key by its own limit only: one Durable Object call, the IP's limit does not cap it", async () => {
    const { key } = await createKey((await login(await createUser())).access_token, { rate_limit_per_minute: 5 });
    const limiters = counting(env.RATE_LIMITER);
    const bindings = { RATE_LIMITER: limiters.namespace, RATE_LIMIT_GLOBAL_PER_MINUTE: "2" };
    expect(await statuses(6, "/v1/protected/service", withKey(key), bindings)).toEqual([200, 200, 200, 200, 200, 429]);
    expect(limiters.counter.calls).toBe(6);
  });

  it("counts a request with an invalid credential against its IP", async () => {
    const bindings = { RATE_LIMIT_GLOBAL_PER_MINUTE: "2" };
    expect(await statuses(3, "/v1/notes", bearer("not-a-token"), bindings)).toEqual([401, 401, 429]);
    expect(await statuses(3, "/v1/protected/service", withKey("gate_forged"), bindings)).toEqual([401, 401, 429]);
  });

  it("counts a credential sent to a route that reads none, or to no route, against the IP", async () => {
    const bindings = { RATE_LIMIT_GLOBAL_PER_MINUTE: "2" };
    const { access_token } = await login(await createUser());
    expect(await statuses(3, "/v1/nowhere", bearer(access_token), bindings)).toEqual([404, 404, 429]);
    const logout = async (ip: string) =>
      (
        await requestApp(
          app,
          "/v1/auth/logout",
          { method: "POST", headers: { ...bearer("garbage"), "CF-Connecting-IP": ip } },
          bindings,
        )
      ).status;
    const ip = freshIp();
    expect([await logout(ip), await logout(ip), await logout(ip)]).toEqual([204, 204, 429]);
  });
});

describe("counters across a restart of their object", () => {
  const config = (overrides: Record<string, unknown> = {}) => {
    const result = loadEnv({ ...env, ...overrides });
    if (!result.ok) throw new Error(result.problems.join("; "));
    return result.env;
  };

  /** Restarts an object as a deploy or a crash would: its memory is gone, its storage stays. */
  const restart = (stub: DurableObjectStub) =>
    runInDurableObject(stub, (_instance, state) => state.abort()).catch(() => undefined);

  it("keeps the account lock", async () => {
    const lock = lockOf(config({ LOGIN_FAILURES_PER_CLIENT: "2" }));
    const account = `user-${crypto.randomUUID()}@example.com`;
    const wrong = async () => false;
    await lock.attempt(account, "192.0.2.30", "password", wrong);
    await lock.attempt(account, "192.0.2.30", "password", wrong);
    await restart(env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(`account:${await sha256Hex(account)}`)));
    await expect(lock.attempt(account, "192.0.2.30", "password", async () => true)).rejects.toMatchObject({
      code: "rate_limited",
    });
  });

  it("keeps a window longer than a minute, and lets no more through than its limit", async () => {
    const ip = freshIp();
    const long = { RATE_LIMIT_GLOBAL_PER_MINUTE: "3", RATE_LIMIT_WINDOW_SECONDS: "120" };
    const probe = () => requestApp(app, "/v1/nowhere", { headers: { "CF-Connecting-IP": ip } }, long);
    for (let i = 0; i < 3; i++) expect((await probe()).status).toBe(404);
    await restart(env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(ipSubject(ip))));
    await expectProblem(await probe(), 429, "rate_limited");
  });
});
