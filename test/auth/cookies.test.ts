import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { Bindings } from "../../src/core/env.ts";
import type { AppEnv } from "../../src/http/app-env.ts";
import { accessCookie, clearSessionCookies, refreshCookie, setSessionCookies } from "../../src/http/cookies.ts";
import { createUser, expectProblem, freshIp, request } from "../support/harness.ts";

const ALLOWED_ORIGIN = "http://localhost:5173";

const formLogin = (user: { email: string; password: string }, headers: Record<string, string> = {}) =>
  request("/v1/auth/jwt/login", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "CF-Connecting-IP": freshIp(), ...headers },
    body: new URLSearchParams({ username: user.email, password: user.password }).toString(),
  });

/** `name=value` pairs of the response's Set-Cookie headers, as a Cookie header. */
const cookieHeader = (response: Response) =>
  response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(";")[0])
    .join("; ");

const withCookies = (cookies: string, method = "GET", origin?: string) => ({
  method,
  headers: { Cookie: cookies, "CF-Connecting-IP": freshIp(), ...(origin ? { Origin: origin } : {}) },
});

/** The cookie helpers on their own, under any bindings (production cannot run the whole app on the test database). */
const cookieApp = new Hono<AppEnv>()
  .get("/set", (c) => {
    setSessionCookies(c, {
      access_token: "a",
      token_type: "bearer",
      expires_in: 900,
      refresh_token: "r",
      refresh_expires_in: 100,
    });
    return c.body(null, 204);
  })
  .get("/read", (c) => c.json({ access: accessCookie(c), refresh: refreshCookie(c) }))
  .get("/clear", (c) => {
    clearSessionCookies(c);
    return c.body(null, 204);
  });

describe("cookie transport", () => {
  it("/jwt/login sets httpOnly access (Path=/) and refresh (Path=/v1/auth) cookies, SameSite=Lax in development", async () => {
    const response = await formLogin(await createUser(), { Origin: ALLOWED_ORIGIN });
    expect(response.status).toBe(204);
    const [access, refresh] = response.headers.getSetCookie();
    expect(access).toMatch(/^gatehouse_access=[\w-]+\.[\w-]+\.[\w-]+; Max-Age=900; Path=\/; HttpOnly; SameSite=Lax$/);
    expect(refresh).toMatch(
      /^gatehouse_refresh=[\w.-]+; Max-Age=(6047\d\d|604800); Path=\/v1\/auth; HttpOnly; SameSite=Lax$/,
    );
  });

  it.each([
    [
      "without COOKIE_DOMAIN: __Host- access cookie, __Secure- refresh cookie (its Path rules __Host- out)",
      {},
      [
        "__Host-acme_access=a; Max-Age=900; Path=/; HttpOnly; Secure; SameSite=None",
        "__Secure-acme_refresh=r; Max-Age=100; Path=/v1/auth; HttpOnly; Secure; SameSite=None",
      ],
    ],
    [
      "with COOKIE_DOMAIN: __Secure- for both",
      { COOKIE_DOMAIN: "acme.example" },
      [
        "__Secure-acme_access=a; Max-Age=900; Domain=acme.example; Path=/; HttpOnly; Secure; SameSite=None",
        "__Secure-acme_refresh=r; Max-Age=100; Domain=acme.example; Path=/v1/auth; HttpOnly; Secure; SameSite=None",
      ],
    ],
  ])(
    "in production %s, Secure and SameSite=None; read and cleared under the same names",
    async (_name, domain, expected) => {
      const production = { isProduction: true, COOKIE_PREFIX: "acme", ...domain } as Bindings;
      const set = (await cookieApp.request("/set", {}, production)).headers.getSetCookie();
      expect(set).toEqual(expected);

      const sent = set.map((cookie) => cookie.split(";")[0]).join("; ");
      // A plain-named cookie, as a sibling subdomain or an http page could plant it, is never read.
      const planted = "acme_access=planted; acme_refresh=planted";
      const read = await cookieApp.request("/read", { headers: { Cookie: `${planted}; ${sent}` } }, production);
      expect(await read.json()).toEqual({ access: "a", refresh: "r" });
      const plantedOnly = await cookieApp.request("/read", { headers: { Cookie: planted } }, production);
      expect(await plantedOnly.json()).toEqual({});

      const cleared = (await cookieApp.request("/clear", {}, production)).headers.getSetCookie();
      expect(cleared.map((cookie) => cookie.split("=")[0])).toEqual(expected.map((cookie) => cookie.split("=")[0]));
      expect(cleared.every((cookie) => cookie.includes("Max-Age=0") && cookie.includes("Secure"))).toBe(true);
    },
  );

  it("authenticates /me by cookie, rotates by cookie, and logs out clearing both cookies", async () => {
    let cookies = cookieHeader(await formLogin(await createUser()));
    expect((await request("/v1/auth/me", withCookies(cookies))).status).toBe(200);

    const rotated = await request("/v1/auth/refresh", withCookies(cookies, "POST", ALLOWED_ORIGIN));
    expect(rotated.status).toBe(204);
    const next = cookieHeader(rotated);
    expect(next).toMatch(/gatehouse_access=.+; gatehouse_refresh=.+/);
    expect(next).not.toBe(cookies);
    cookies = next;

    const loggedOut = await request("/v1/auth/logout", withCookies(cookies, "POST", ALLOWED_ORIGIN));
    expect(loggedOut.status).toBe(204);
    expect(loggedOut.headers.getSetCookie().every((cookie) => cookie.includes("Max-Age=0"))).toBe(true);
    await expectProblem(await request("/v1/auth/me", withCookies(cookies)), 401, "unauthorized");
  });

  it("clears the cookies when the refresh cookie no longer works", async () => {
    const cookies = "gatehouse_refresh=garbage";
    const response = await request("/v1/auth/refresh", withCookies(cookies, "POST", ALLOWED_ORIGIN));
    await expectProblem(response, 401, "invalid_refresh_token");
    expect(response.headers.getSetCookie().some((cookie) => /^gatehouse_refresh=; Max-Age=0/.test(cookie))).toBe(true);
  });

  it("refuses cookie-authenticated state changes from a foreign origin with 403", async () => {
    const user = await createUser();
    const cookies = cookieHeader(await formLogin(user));
    const foreign = "https://evil.example";
    await expectProblem(await request("/v1/auth/refresh", withCookies(cookies, "POST", foreign)), 403, "forbidden");
    await expectProblem(await request("/v1/auth/logout", withCookies(cookies, "POST", foreign)), 403, "forbidden");
    await expectProblem(await formLogin(user, { Origin: foreign }), 403, "forbidden");
    const crossSite = await request("/v1/auth/refresh", {
      method: "POST",
      headers: { Cookie: cookies, "Sec-Fetch-Site": "cross-site", "CF-Connecting-IP": freshIp() },
    });
    await expectProblem(crossSite, 403, "forbidden");
    // Reads are not state changes, and the session survived every refused attempt.
    expect((await request("/v1/auth/me", withCookies(cookies, "GET", foreign))).status).toBe(200);
    expect((await request("/v1/auth/refresh", withCookies(cookies, "POST", "https://gatehouse.test"))).status).toBe(
      204,
    );
  });
});
