import { env } from "cloudflare:test";
import { decodeJwt, exportJWK, generateKeyPair, importJWK, type JWTPayload, SignJWT, UnsecuredJWT } from "jose";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { bearer, createUser, expectProblem, login, request, requestApp, requestJson } from "../support/harness.ts";

const ISSUER = "https://gatehouse.test";
const signingJwk = JSON.parse(env.JWT_PRIVATE_KEY) as { kid: string; x: string } & Record<string, string>;
const signingKey = await importJWK(signingJwk, "EdDSA");

/** A real session's claims, so only the property under test differs from a valid token. */
async function sessionClaims(): Promise<JWTPayload> {
  const tokens = await login(await createUser());
  return decodeJwt(tokens.access_token);
}

function sign(
  claims: JWTPayload,
  header: Record<string, string> = {},
  key: Parameters<SignJWT["sign"]>[0] = signingKey,
) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "EdDSA", kid: signingJwk.kid, typ: "at+jwt", ...header })
    .sign(key);
}

const me = (token: string) => requestJson("GET", "/v1/auth/me", undefined, bearer(token));
const now = () => Math.floor(Date.now() / 1000);

describe("access tokens", () => {
  it("carry kid, typ at+jwt, iss, aud, sub, sid, jti, iat and exp", async () => {
    const tokens = await login(await createUser());
    const [header] = tokens.access_token.split(".");
    expect(JSON.parse(atob((header as string).replaceAll("-", "+").replaceAll("_", "/")))).toEqual({
      alg: "EdDSA",
      kid: signingJwk.kid,
      typ: "at+jwt",
    });
    const claims = decodeJwt(tokens.access_token);
    expect(claims).toMatchObject({ iss: ISSUER, aud: "gatehouse" });
    expect(Object.keys(claims).sort()).toEqual(["aud", "exp", "iat", "iss", "jti", "sid", "sub"]);
    expect((claims.exp as number) - (claims.iat as number)).toBe(900);
  });

  it("pass when crafted correctly with the real key (the baseline for the attacks below)", async () => {
    expect((await me(await sign(await sessionClaims()))).status).toBe(200);
  });

  it("refuse the JWT attack set with 401", async () => {
    const claims = await sessionClaims();
    const { d: _, ...publicJwk } = signingJwk;
    const otherKeys = await generateKeyPair("EdDSA");
    const real = await sign(claims);
    const [header, payload, signature] = real.split(".") as [string, string, string];
    const tamperedPayload = btoa(JSON.stringify({ ...claims, sub: crypto.randomUUID() }))
      .replaceAll("=", "")
      .replaceAll("+", "-")
      .replaceAll("/", "_");

    const attacks: Record<string, string> = {
      "alg none": new UnsecuredJWT(claims).encode(),
      "alg none with our kid and typ": `${btoa(JSON.stringify({ alg: "none", kid: signingJwk.kid, typ: "at+jwt" })).replaceAll("=", "")}.${payload}.`,
      "HS256 signed with the public key": await new SignJWT(claims)
        .setProtectedHeader({ alg: "HS256", kid: signingJwk.kid, typ: "at+jwt" })
        .sign(new TextEncoder().encode(JSON.stringify(publicJwk))),
      "HS256 signed with the raw public x": await new SignJWT(claims)
        .setProtectedHeader({ alg: "HS256", kid: signingJwk.kid, typ: "at+jwt" })
        .sign(new TextEncoder().encode(signingJwk.x)),
      expired: await sign({ ...claims, iat: now() - 1000, exp: now() - 10 }),
      "nbf in the future": await sign({ ...claims, nbf: now() + 600 }),
      "wrong iss": await sign({ ...claims, iss: "https://evil.example" }),
      "wrong aud": await sign({ ...claims, aud: "someone-else" }),
      "no sid": await sign({ ...claims, sid: undefined }),
      "typ JWT": await sign(claims, { typ: "JWT" }),
      "tampered payload": `${header}.${tamperedPayload}.${signature}`,
      "unknown kid": await sign(claims, { kid: "not-a-key" }),
      "signed by another key under our kid": await sign(claims, {}, otherKeys.privateKey),
      "a refresh token": (await login(await createUser())).refresh_token,
      garbage: "not.a.jwt",
    };
    for (const [name, token] of Object.entries(attacks)) {
      const response = await me(token);
      expect(response.status, name).toBe(401);
      await expectProblem(response, 401, "unauthorized");
      expect(response.headers.get("WWW-Authenticate")).toMatch(/^Bearer/);
    }
  });

  it("stop passing when they expire, although this isolate verified them before", async () => {
    // At least 2 s for the two uses on a loaded machine; then the wait ends just past `exp`.
    const exp = now() + 3;
    const token = await sign({ ...(await sessionClaims()), exp });
    expect((await me(token)).status).toBe(200);
    expect((await me(token)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, exp * 1000 + 100 - Date.now()));
    await expectProblem(await me(token), 401, "unauthorized");
  });

  it("refuse another authorization scheme and no credentials at all", async () => {
    await expectProblem(
      await requestJson("GET", "/v1/auth/me", undefined, { Authorization: "Basic Zm9vOmJhcg==" }),
      401,
      "unauthorized",
    );
    await expectProblem(await requestJson("GET", "/v1/auth/me"), 401, "unauthorized");
  });
});

describe("GET /.well-known/jwks.json and key rotation", () => {
  it("publishes the public signing key, never the private part", async () => {
    const response = await request("/.well-known/jwks.json");
    expect(response.status).toBe(200);
    const { keys } = (await response.json()) as { keys: Record<string, string>[] };
    expect(keys).toEqual([
      { kty: "OKP", crv: "Ed25519", x: signingJwk.x, kid: signingJwk.kid, alg: "EdDSA", use: "sig" },
    ]);
    expect(JSON.stringify(keys)).not.toContain(signingJwk.d);
  });

  it("keeps accepting tokens of a previous key after rotating to a new one (ES256 here)", async () => {
    const app = createApp();
    const next = await generateKeyPair("ES256", { extractable: true });
    const nextPrivate = { ...(await exportJWK(next.privateKey)), kid: "next-key" };
    const { d: _, ...oldPublic } = signingJwk;
    const rotated = {
      JWT_PRIVATE_KEY: JSON.stringify(nextPrivate),
      JWT_PREVIOUS_PUBLIC_KEYS: JSON.stringify([oldPublic]),
    };
    const oldToken = (await login(await createUser())).access_token;
    const meWith = (token: string, bindings: Record<string, string>) =>
      requestApp(app, "/v1/auth/me", { headers: bearer(token) }, bindings);

    expect((await meWith(oldToken, rotated)).status).toBe(200);
    const jwks = (await (await requestApp(app, "/.well-known/jwks.json", {}, rotated)).json()) as {
      keys: { kid: string; alg: string }[];
    };
    expect(jwks.keys.map((key) => [key.kid, key.alg])).toEqual([
      ["next-key", "ES256"],
      [signingJwk.kid, "EdDSA"],
    ]);

    const user = await createUser();
    const loggedIn = await requestApp(
      app,
      "/v1/auth/login",
      {
        method: "POST",
        headers: { "Content-Type": "application/json", "CF-Connecting-IP": "10.99.0.1" },
        body: JSON.stringify({ login: user.email, password: user.password }),
      },
      rotated,
    );
    const newToken = ((await loggedIn.json()) as { access_token: string }).access_token;
    expect(JSON.parse(atob(newToken.split(".")[0] as string))).toMatchObject({ alg: "ES256", kid: "next-key" });
    expect((await meWith(newToken, rotated)).status).toBe(200);

    const retired = { JWT_PRIVATE_KEY: JSON.stringify(nextPrivate) };
    expect((await meWith(oldToken, retired)).status).toBe(401);
  });
});
