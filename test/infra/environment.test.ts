import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { expectProblem, requestApp } from "../support/harness.ts";

const app = createApp();
const signingKey = JSON.parse(env.JWT_PRIVATE_KEY) as Record<string, string>;

/** Settings a real production deployment would have: every check passes. */
const PRODUCTION = {
  ENVIRONMENT: "production",
  DATABASE_URL: "postgres://app_user:Zx81pQ0vLr7@ep-quiet-sun-123456.eu-central-1.aws.neon.tech/gatehouse",
  ADMIN_SECRET: "kY3v9QpL2mX8rT5wN1bZ7cF4hJ6dS0aG",
  COOKIE_PREFIX: "acme_auth",
  SECURITY_CONTACT: "mailto:security@acme.example",
  CORS_ORIGINS: "https://app.acme.example",
};

describe("configuration", () => {
  it("serves in production when every setting is sound", async () => {
    const response = await requestApp(app, "/health", undefined, PRODUCTION);
    expect(response.status).toBe(200);
  });

  it.each([
    ["default database credentials", { DATABASE_URL: "postgres://postgres:postgres@db.example.com/app" }],
    ["the local development database", { DATABASE_URL: "postgres://gatehouse:local@127.0.0.1:4444/gatehouse" }],
    ["a short ADMIN_SECRET", { ADMIN_SECRET: "short" }],
    ["a default-looking ADMIN_SECRET", { ADMIN_SECRET: "changeme-changeme-changeme-changeme-1234" }],
    ["the default COOKIE_PREFIX", { COOKIE_PREFIX: "gatehouse" }],
    ["a missing SECURITY_CONTACT", { SECURITY_CONTACT: undefined }],
    ["a wildcard CORS origin", { CORS_ORIGINS: "*" }],
    ["an unparseable DATABASE_URL", { DATABASE_URL: "not a url" }],
    ["no JWT_PRIVATE_KEY", { JWT_PRIVATE_KEY: undefined }],
    ["a JWT_PRIVATE_KEY that is not JSON", { JWT_PRIVATE_KEY: "-----BEGIN PRIVATE KEY-----" }],
    ["a public key as JWT_PRIVATE_KEY", { JWT_PRIVATE_KEY: JSON.stringify({ ...signingKey, d: undefined }) }],
    ["an HMAC secret as JWT_PRIVATE_KEY", { JWT_PRIVATE_KEY: JSON.stringify({ kty: "oct", k: "c2VjcmV0", kid: "k" }) }],
    ["JWT_PREVIOUS_PUBLIC_KEYS not a list", { JWT_PREVIOUS_PUBLIC_KEYS: "{}" }],
  ])("fails closed in production with %s: 500 bad_environment on every route", async (_name, override) => {
    const bindings = { ...PRODUCTION, ...override };
    for (const path of ["/health", "/", "/v1/anything"]) {
      const problem = await expectProblem(await requestApp(app, path, undefined, bindings), 500, "bad_environment");
      // The body never says which setting, or its value: that goes to the log only.
      expect(JSON.stringify(problem)).not.toMatch(/DATABASE_URL|ADMIN_SECRET|COOKIE_PREFIX|JWT_|postgres:/);
    }
  });

  it("uses development defaults when ENVIRONMENT is development", async () => {
    const response = await requestApp(app, "/.well-known/security.txt", undefined, {
      ENVIRONMENT: "development",
      SECURITY_CONTACT: undefined,
      COOKIE_PREFIX: undefined,
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Contact: mailto:security@example.invalid");
  });
});
