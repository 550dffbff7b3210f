import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { decodeJwt, importJWK, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { users } from "../../src/db/schema/index.ts";
import {
  bearer,
  createKey,
  createUser,
  database,
  expectProblem,
  login,
  requestApp,
  requestJson,
  withKey,
} from "../support/harness.ts";

/** RFC 6750 §3: the challenge of a request that sent no bearer token, and of one whose token failed. */
const CHALLENGE = 'Bearer realm="gatehouse"';
const INVALID_TOKEN = 'Bearer realm="gatehouse", error="invalid_token"';

const me = (headers: Record<string, string>) => requestJson("GET", "/v1/auth/me", undefined, headers);

/** The challenge of a 401 `unauthorized`, checked never to carry the token it refuses. */
async function challengeOf(response: Response, token = ""): Promise<string | null> {
  await expectProblem(response, 401, "unauthorized");
  const challenge = response.headers.get("WWW-Authenticate");
  if (token) expect(challenge).not.toContain(token);
  return challenge;
}

describe("WWW-Authenticate (RFC 6750 §3)", () => {
  it('names error="invalid_token" for an expired, a garbage, a malformed and a revoked session\'s token', async () => {
    const tokens = await login(await createUser());
    const signingJwk = JSON.parse(env.JWT_PRIVATE_KEY) as { kid: string };
    const expired = await new SignJWT({ ...decodeJwt(tokens.access_token), exp: Math.floor(Date.now() / 1000) - 10 })
      .setProtectedHeader({ alg: "EdDSA", kid: signingJwk.kid, typ: "at+jwt" })
      .sign(await importJWK(signingJwk, "EdDSA"));
    for (const token of [expired, "not.a.jwt"])
      expect(await challengeOf(await me(bearer(token)), token)).toBe(INVALID_TOKEN);
    expect(await challengeOf(await me({ Authorization: "Bearer {not a token}" }), "{not a token}")).toBe(INVALID_TOKEN);

    expect((await me(bearer(tokens.access_token))).status).toBe(200);
    expect((await requestJson("POST", "/v1/auth/logout", undefined, bearer(tokens.access_token))).status).toBe(204);
    expect(await challengeOf(await me(bearer(tokens.access_token)), tokens.access_token)).toBe(INVALID_TOKEN);
  });

  it('names error="invalid_token" when the token\'s account is deactivated and no session check ran', async () => {
    const user = await createUser();
    const { access_token } = await login(user);
    await database().update(users).set({ isActive: false }).where(eq(users.id, user.id));
    const response = await requestApp(
      createApp(),
      "/v1/auth/me",
      { headers: bearer(access_token) },
      { SESSION_REVOCATION_CHECK: "false" },
    );
    expect(await challengeOf(response, access_token)).toBe(INVALID_TOKEN);
  });

  it("is the bare challenge, without an error code, for a request that sent no bearer token", async () => {
    expect(await challengeOf(await me({}))).toBe(CHALLENGE);
    expect(await challengeOf(await me({ Authorization: "Basic Zm9vOmJhcg==" }))).toBe(CHALLENGE);
    const { key } = await createKey((await login(await createUser())).access_token);
    const keyOnUserRoute = await requestJson("GET", "/v1/protected/user", undefined, withKey(key));
    expect(await challengeOf(keyOnUserRoute, key)).toBe(CHALLENGE);
  });

  it("leaves API key refusals without a Bearer error", async () => {
    const refused = await requestJson("GET", "/v1/protected/service", undefined, withKey("gate_not_a_real_key"));
    expect(refused.status).toBe(401);
    expect(refused.headers.get("WWW-Authenticate") ?? "").not.toContain("error=");
  });
});
