import { describe, expect, it } from "vitest";
import { createUser, expectProblem, freshIp, ORIGIN, request } from "../support/harness.ts";

/** One of the development CORS_ORIGINS (src/core/env.ts), which the tests run under. */
const ALLOWED_ORIGIN = "http://localhost:5173";

/** The session cookies of a new user, from `/jwt/login`, as a Cookie header. */
async function sessionCookies(): Promise<string> {
  const user = await createUser();
  const response = await request("/v1/auth/jwt/login", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "CF-Connecting-IP": freshIp() },
    body: new URLSearchParams({ username: user.email, password: user.password }).toString(),
  });
  expect(response.status).toBe(204);
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(";")[0])
    .join("; ");
}

/** A state change (a new note) authenticated by the access cookie alone, with `headers`. */
const createNote = (cookies: string, headers: Record<string, string>) =>
  request("/v1/notes", {
    method: "POST",
    headers: { Cookie: cookies, "Content-Type": "application/json", "CF-Connecting-IP": freshIp(), ...headers },
    body: JSON.stringify({ title: "from a cookie" }),
  });

describe("a cookie-authenticated state change", () => {
  it.each<[string, Record<string, string>]>([
    ["from this service's own origin", { Origin: ORIGIN }],
    ["from an origin in CORS_ORIGINS", { Origin: ALLOWED_ORIGIN, "Sec-Fetch-Site": "cross-site" }],
    ["with only Sec-Fetch-Site: same-origin", { "Sec-Fetch-Site": "same-origin" }],
    ["with neither Origin nor Sec-Fetch-Site (no browser page sent it)", {}],
  ])("is accepted %s", async (_case, headers) => {
    expect((await createNote(await sessionCookies(), headers)).status).toBe(201);
  });

  it.each<[string, Record<string, string>]>([
    ["from a foreign origin", { Origin: "https://evil.example" }],
    [
      "from a sibling subdomain not in CORS_ORIGINS",
      { Origin: "https://app.gatehouse.test", "Sec-Fetch-Site": "same-site" },
    ],
    ["from an opaque origin (Origin: null)", { Origin: "null" }],
    ["with only Sec-Fetch-Site: same-site", { "Sec-Fetch-Site": "same-site" }],
    ["with only Sec-Fetch-Site: cross-site", { "Sec-Fetch-Site": "cross-site" }],
  ])("is refused with 403 %s", async (_case, headers) => {
    await expectProblem(await createNote(await sessionCookies(), headers), 403, "forbidden");
  });
});
