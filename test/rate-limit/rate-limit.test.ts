import { env, runInDurableObject } from "cloudflare:test";
import { createRoute, z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { sha256Hex } from "../../src/core/encoding.ts";
import { loadEnv } from "../../src/core/env.ts";
import type { ApiError } from "../../src/core/errors.ts";
import { createRouter } from "../../src/http/router.ts";
import { ipSubject } from "../../src/rate-limit/ip-subjects.ts";
import { lockOf } from "../support/audit.ts";
import {
  createKey,
  createUser,
  eventually,
  expectProblem,
  login,
  logLines,
  request,
  requestApp,
  withKey,
} from "../support/harness.ts";

// A login-like route so route buckets can be exercised before the auth routes exist.
const probe = createRouter();
probe.openapi(
  createRoute({
    method: "post",
    path: "/probe",
    responses: { 200: { description: "ok", content: { "application/json": { schema: z.object({}) } } } },
  }),
  (c) => c.json({}, 200),
);
const app = createApp([probe], { "POST /v1/probe": "login" });
const LIMITS = { RATE_LIMIT_GLOBAL_PER_MINUTE: "1000", RATE_LIMIT_LOGIN_PER_MINUTE: "5" };

let ipCounter = 0;
/** A fresh documentation-range address per test, so tests never share a bucket. */
const freshIp = () => `198.51.${Math.floor(Math.random() * 250)}.${++ipCounter % 250}`;
const probeFrom = (ip: string | undefined, bindings: Record<string, unknown> = LIMITS, headers = {}) =>
  requestApp(
    app,
    "/v1/probe",
    { method: "POST", headers: { ...(ip ? { "CF-Connecting-IP": ip } : {}), ...headers } },
    bindings,
  );

describe("rate limiting", () => {
  it("lets exactly 5 of 50 parallel requests from one IP through a 5/min route", async () => {
    const ip = freshIp();
    const responses = await Promise.all(Array.from({ length: 50 }, () => probeFrom(ip)));
    expect(responses.filter((r) => r.status === 200)).toHaveLength(5);
    expect(responses.filter((r) => r.status === 429)).toHaveLength(45);
  });

  it("limits none of 50 parallel requests from 50 different IPs", async () => {
    const responses = await Promise.all(Array.from({ length: 50 }, () => probeFrom(freshIp())));
    expect(responses.every((r) => r.status === 200)).toBe(true);
  });

  it("sends RateLimit headers when allowed, and 429 rate_limited with Retry-After when not", async () => {
    const ip = freshIp();
    const first = await probeFrom(ip);
    expect(first.status).toBe(200);
    expect(first.headers.get("RateLimit-Limit")).toBe("5");
    expect(first.headers.get("RateLimit-Remaining")).toBe("4");
    expect(Number(first.headers.get("RateLimit-Reset"))).toBeGreaterThan(0);
    for (let i = 0; i < 4; i++) await probeFrom(ip);
    let limited = new Response();
    const lines = await logLines(async () => {
      limited = await probeFrom(ip);
    });
    await expectProblem(limited, 429, "rate_limited");
    expect(lines).toContainEqual(
      expect.objectContaining({ event: "rate_limited", security_event: true, ip, route: "/v1/probe" }),
    );
    expect(limited.headers.get("RateLimit-Remaining")).toBe("0");
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers.get("Retry-After"))).toBeLessThanOrEqual(60);
  });

  it("does not trust X-Forwarded-For: a spoofed header gets no fresh bucket", async () => {
    const ip = freshIp();
    for (let i = 0; i < 5; i++) expect((await probeFrom(ip)).status).toBe(200);
    const spoofed = await probeFrom(ip, LIMITS, { "X-Forwarded-For": freshIp() });
    expect(spoofed.status).toBe(429);
  });

  it("counts IPv6 clients per /64", async () => {
    const prefix = `2001:db8:${(++ipCounter).toString(16)}:${Math.floor(Math.random() * 65535).toString(16)}`;
    for (let i = 0; i < 5; i++) expect((await probeFrom(`${prefix}::${i + 1}`)).status).toBe(200);
    expect((await probeFrom(`${prefix}:ffff:1:2:3`)).status).toBe(429);
    expect((await probeFrom(`${prefix.replace(/:[0-9a-f]+$/, ":1234")}::1`)).status).toBe(200);
    expect(ipSubject("2001:0db8:0000:0001:aaaa::1")).toBe(ipSubject("2001:db8:0:1::ffff"));
    expect(ipSubject("2001:db8:0:1::1")).not.toBe(ipSubject("2001:db8:0:2::1"));
    expect(ipSubject("::ffff:203.0.113.5")).toBe(ipSubject("203.0.113.5"));
  });

  it("puts requests without a client address in one shared bucket", async () => {
    const bindings = { ...LIMITS, RATE_LIMIT_LOGIN_PER_MINUTE: "1000000" };
    const first = await probeFrom(undefined, bindings);
    expect(first.headers.get("RateLimit-Limit")).toBe("1000");
    const second = await probeFrom(undefined, bindings);
    expect(Number(second.headers.get("RateLimit-Remaining"))).toBeLessThan(
      Number(first.headers.get("RateLimit-Remaining")),
    );
  });

  it("rolls the window: after the reset time the client is allowed again", async () => {
    const ip = freshIp();
    const shortWindow = { ...LIMITS, RATE_LIMIT_WINDOW_SECONDS: "1" };
    for (let i = 0; i < 5; i++) expect((await probeFrom(ip, shortWindow)).status).toBe(200);
    const limited = await probeFrom(ip, shortWindow);
    expect(limited.status).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await probeFrom(ip, shortWindow)).status).toBe(200);
  });

  it("turns a limit off with 0", async () => {
    const ip = freshIp();
    const off = { RATE_LIMIT_GLOBAL_PER_MINUTE: "0", RATE_LIMIT_LOGIN_PER_MINUTE: "0" };
    const responses = await Promise.all(Array.from({ length: 20 }, () => probeFrom(ip, off)));
    expect(responses.every((r) => r.status === 200 && !r.headers.has("RateLimit-Limit"))).toBe(true);
  });

  it("applies the global limit to /v1 and never to infrastructure routes", async () => {
    const ip = freshIp();
    const headers = { "CF-Connecting-IP": ip };
    const global = await request("/v1/anything", { headers });
    expect(global.headers.get("RateLimit-Limit")).toBe("60");
    for (const path of ["/health", "/", "/openapi.json", "/.well-known/security.txt"]) {
      const response = await request(path, { headers });
      expect(response.headers.has("RateLimit-Limit"), path).toBe(false);
    }
  });

  it("fails closed on login routes and open elsewhere when the limiter is unreachable", async () => {
    const unreachable = {
      ...LIMITS,
      RATE_LIMITER: {
        idFromName: () => {
          throw new Error("Durable Object namespace unavailable");
        },
      },
    };
    await expectProblem(await probeFrom(freshIp(), unreachable), 503, "rate_limiter_unavailable");
    const open = await requestApp(app, "/v1/anything", { headers: { "CF-Connecting-IP": freshIp() } }, unreachable);
    await expectProblem(open, 404, "not_found");
  });

  it("fails open on an API key's own limit when the limiter is unreachable, and logs it", async () => {
    const { key } = await createKey((await login(await createUser())).access_token);
    const unreachable = {
      RATE_LIMITER: {
        idFromName: () => {
          throw new Error("Durable Object namespace unavailable");
        },
      },
    };
    let response = new Response();
    const lines = await logLines(async () => {
      response = await requestApp(createApp(), "/v1/protected/service", { headers: withKey(key) }, unreachable);
    });
    expect(response.status).toBe(200);
    expect(lines).toContainEqual(
      expect.objectContaining({ event: "rate_limiter_unavailable", subject_kind: "key", fail_closed: false }),
    );
  });
});

describe("account lock (src/rate-limit/account-lock.ts)", () => {
  const config = (overrides: Record<string, unknown> = {}) => {
    const result = loadEnv({ ...env, ...overrides });
    if (!result.ok) throw new Error(result.problems.join("; "));
    return result.env;
  };
  type Lock = ReturnType<typeof lockOf>;
  const right = async () => true;
  const wrong = async () => false;
  /** Whether the lock lets a right attempt through (and gives it back), or refuses it with 429. */
  const isAdmitted = (lock: Lock, account: string, ip: string, kind: "password" | "second_factor" = "password") =>
    lock.attempt(account, ip, kind, right).then(
      () => true,
      (error: ApiError) => (error.code === "rate_limited" ? false : Promise.reject(error)),
    );
  const fail = (lock: Lock, account: string, ip: string, kind: "password" | "second_factor" = "password") =>
    lock.attempt(account, ip, kind, wrong);

  it("refuses a client after LOGIN_FAILURES_PER_CLIENT failures on an account, whatever the letter case", async () => {
    const lock = lockOf(config({ LOGIN_FAILURES_PER_CLIENT: "3" }));
    const account = `user-${crypto.randomUUID()}@example.com`;
    for (let i = 0; i < 3; i++) {
      expect(await isAdmitted(lock, account, "192.0.2.1")).toBe(true);
      await fail(lock, i % 2 ? account.toUpperCase() : account, "192.0.2.1");
    }
    expect(await isAdmitted(lock, account, "192.0.2.1")).toBe(false);
    expect(await isAdmitted(lock, account, "192.0.2.2")).toBe(true);
    expect(await isAdmitted(lock, `other-${account}`, "192.0.2.1")).toBe(true);
  });

  it("gives a right attempt back: 30 right ones in a row from one client are all admitted", async () => {
    const lock = lockOf(config({ LOGIN_FAILURES_PER_CLIENT: "3" }));
    const account = `user-${crypto.randomUUID()}@example.com`;
    for (let i = 0; i < 30; i++) expect(await isAdmitted(lock, account, "192.0.2.3")).toBe(true);
    await fail(lock, account, "192.0.2.3");
    await fail(lock, account, "192.0.2.3");
    expect(await isAdmitted(lock, account, "192.0.2.3")).toBe(true);
  });

  it("reserves each attempt before it is checked: of 30 parallel attempts, exactly LOGIN_FAILURES_PER_CLIENT are checked", async () => {
    const lock = lockOf(config({ LOGIN_FAILURES_PER_CLIENT: "10" }));
    const account = `user-${crypto.randomUUID()}@example.com`;
    let checked = 0;
    const slowWrong = async () => {
      checked++;
      await new Promise((resolve) => setTimeout(resolve, 50));
      return false;
    };
    const outcomes = await Promise.allSettled(
      Array.from({ length: 30 }, () => lock.attempt(account, "192.0.2.4", "password", slowWrong)),
    );
    expect(checked).toBe(10);
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(10);
    expect(outcomes.filter((outcome) => outcome.status === "rejected")).toHaveLength(20);
  });

  it("counts an IPv6 client as its /64, /56 and /48: one allocation is one client, its neighbours are not", async () => {
    const lock = lockOf(config({ LOGIN_FAILURES_PER_CLIENT: "10" }));
    const account = `user-${crypto.randomUUID()}@example.com`;
    // 120 /64s of one /48 (2001:db8:aa::/48), across many /56s.
    let checked = 0;
    for (let i = 0; i < 120; i++) {
      const ip = `2001:db8:aa:${(i * 257).toString(16)}::1`;
      const counted = async () => {
        checked++;
        return false;
      };
      await lock.attempt(account, ip, "password", counted).catch(() => undefined);
    }
    expect(checked).toBe(10);
    expect(await isAdmitted(lock, account, "2001:db8:aa:ffff::2")).toBe(false);
    expect(await isAdmitted(lock, account, "2001:db8:ab::1")).toBe(true);
    expect(await isAdmitted(lock, account, "192.0.2.5")).toBe(true);
  });

  it("gives wrong second-factor codes one budget per account, however many clients send them", async () => {
    const lock = lockOf(config({ MFA_FAILURES_PER_ACCOUNT: "10" }));
    const account = `user-${crypto.randomUUID()}@example.com`;
    for (let i = 1; i <= 10; i++) await fail(lock, account, `198.51.100.${i}`, "second_factor");
    expect(await isAdmitted(lock, account, "203.0.113.20", "second_factor")).toBe(false);
    // Passwords are not held by the codes' budget: the owner on a fresh client still gets in.
    expect(await isAdmitted(lock, account, "203.0.113.20", "password")).toBe(true);
  });

  it("past LOGIN_FAILURES_PER_ACCOUNT, refuses every client with a recent failure and no other", async () => {
    const lock = lockOf(config({ LOGIN_FAILURES_PER_ACCOUNT: "4" }));
    const account = `user-${crypto.randomUUID()}@example.com`;
    for (let i = 1; i <= 4; i++) await fail(lock, account, `198.51.100.${i}`);
    expect(await isAdmitted(lock, account, "198.51.100.1")).toBe(false);
    expect(await isAdmitted(lock, account, "203.0.113.9")).toBe(true);
  });

  it("forgets failures after the window, and deletes what has drained", async () => {
    const lock = lockOf(config({ LOGIN_FAILURES_PER_CLIENT: "2", LOGIN_FAILURE_WINDOW_SECONDS: "1" }));
    const account = `user-${crypto.randomUUID()}@example.com`;
    await fail(lock, account, "192.0.2.7");
    await fail(lock, account, "192.0.2.7");
    expect(await isAdmitted(lock, account, "192.0.2.7")).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await isAdmitted(lock, account, "192.0.2.7")).toBe(true);

    // The object's alarm, set for when its last count drains, has deleted them all.
    const stub = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(`account:${await sha256Hex(account)}`));
    await eventually(async () => {
      const kept = await runInDurableObject(stub, (_instance, state) => [...state.storage.kv.list()].length);
      expect(kept).toBe(0);
    });
  });

  it("is off when either limit is 0", async () => {
    const account = `user-${crypto.randomUUID()}@example.com`;
    for (const off of [{ LOGIN_FAILURES_PER_CLIENT: "0" }, { LOGIN_FAILURES_PER_ACCOUNT: "0" }]) {
      const lock = lockOf(config(off));
      for (let i = 0; i < 12; i++) await fail(lock, account, "192.0.2.8");
      expect(await isAdmitted(lock, account, "192.0.2.8")).toBe(true);
    }
  });

  it("fails closed with 503 rate_limiter_unavailable when its object cannot be reached, checking nothing", async () => {
    const unreachable = config({
      RATE_LIMITER: {
        idFromName: () => ({}),
        get: () => {
          throw new Error("object unreachable");
        },
      },
    });
    const lock = lockOf(unreachable);
    let checked = 0;
    await expect(
      lock.attempt("someone@example.com", "192.0.2.9", "password", async () => {
        checked++;
        return true;
      }),
    ).rejects.toMatchObject({ code: "rate_limiter_unavailable" });
    expect(checked).toBe(0);
  });
});
