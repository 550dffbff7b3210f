import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { expectProblem, logLines, PRODUCTION, requestApp } from "../support/harness.ts";

const app = createApp();
const signingKey = JSON.parse(env.JWT_PRIVATE_KEY) as Record<string, string>;

describe("configuration", () => {
  it("serves in production when every setting is sound", async () => {
    const response = await requestApp(app, "/health", undefined, PRODUCTION);
    expect(response.status).toBe(200);
  });

  it.each([
    [
      "default database credentials",
      "DATABASE_URL",
      { DATABASE_URL: "postgres://postgres:postgres@db.example.com/app" },
    ],
    [
      "the local development database",
      "DATABASE_URL",
      { DATABASE_URL: "postgres://gatehouse:local@127.0.0.1:4444/gatehouse" },
    ],
    ["a short ADMIN_SECRET", "ADMIN_SECRET", { ADMIN_SECRET: "short" }],
    ["a default-looking ADMIN_SECRET", "ADMIN_SECRET", { ADMIN_SECRET: "changeme-changeme-changeme-changeme-1234" }],
    ["the default COOKIE_PREFIX", "COOKIE_PREFIX", { COOKIE_PREFIX: "gatehouse" }],
    ["a missing SECURITY_CONTACT", "SECURITY_CONTACT", { SECURITY_CONTACT: undefined }],
    ["a wildcard CORS origin", "CORS_ORIGINS", { CORS_ORIGINS: "*" }],
    ["an http:// CORS origin", "CORS_ORIGINS", { CORS_ORIGINS: "https://app.acme.example,http://app.acme.example" }],
    ["the null CORS origin", "CORS_ORIGINS", { CORS_ORIGINS: "https://app.acme.example,null" }],
    ["the session revocation check off", "SESSION_REVOCATION_CHECK", { SESSION_REVOCATION_CHECK: "false" }],
    ["API keys accepted in the query string", "API_KEY_ALLOW_QUERY", { API_KEY_ALLOW_QUERY: "true" }],
    ["no login limit", "RATE_LIMIT_LOGIN_PER_MINUTE", { RATE_LIMIT_LOGIN_PER_MINUTE: "0" }],
    ["no register limit", "RATE_LIMIT_REGISTER_PER_MINUTE", { RATE_LIMIT_REGISTER_PER_MINUTE: "0" }],
    ["no refresh limit", "RATE_LIMIT_REFRESH_PER_MINUTE", { RATE_LIMIT_REFRESH_PER_MINUTE: "0" }],
    ["no per-client login failure budget", "LOGIN_FAILURES_PER_CLIENT", { LOGIN_FAILURES_PER_CLIENT: "0" }],
    ["no per-account login failure budget", "LOGIN_FAILURES_PER_ACCOUNT", { LOGIN_FAILURES_PER_ACCOUNT: "0" }],
    ["account emails without a sender", "EMAIL_FROM", { EMAIL_FROM: undefined }],
    ["account emails without APP_URL", "APP_URL", { APP_URL: undefined }],
    ["account emails linking to http://", "APP_URL", { APP_URL: "http://app.acme.example" }],
    ["account emails without the EMAIL binding", "EMAIL", { EMAIL: undefined }],
    ["no limit on the account-email routes", "RATE_LIMIT_RECOVERY_PER_MINUTE", { RATE_LIMIT_RECOVERY_PER_MINUTE: "0" }],
    ["passkeys without RP_ID", "RP_ID", { RP_ID: undefined }],
    ["passkeys without RP_ORIGINS", "RP_ORIGINS", { RP_ORIGINS: undefined }],
    ["a passkey origin on http://", "RP_ORIGINS", { RP_ORIGINS: "http://app.acme.example" }],
    [
      "a passkey origin outside RP_ID",
      "RP_ORIGINS",
      { RP_ORIGINS: "https://app.acme.example,https://acme.example.net" },
    ],
    ["an RP_ID that is not a domain", "RP_ID", { RP_ID: "https://acme.example" }],
    ["an unparseable DATABASE_URL", "DATABASE_URL", { DATABASE_URL: "not a url" }],
    ["no JWT_PRIVATE_KEY", "JWT_PRIVATE_KEY", { JWT_PRIVATE_KEY: undefined }],
    ["no MFA_ENCRYPTION_KEY", "MFA_ENCRYPTION_KEY", { MFA_ENCRYPTION_KEY: undefined }],
    ["a short MFA_ENCRYPTION_KEY", "MFA_ENCRYPTION_KEY", { MFA_ENCRYPTION_KEY: "c2hvcnQ" }],
    [
      "an MFA_ENCRYPTION_KEY with non-zero pad bits",
      "MFA_ENCRYPTION_KEY",
      { MFA_ENCRYPTION_KEY: `${"A".repeat(42)}B` },
    ],
    ["a JWT_PRIVATE_KEY that is not JSON", "JWT_PRIVATE_KEY", { JWT_PRIVATE_KEY: "-----BEGIN PRIVATE KEY-----" }],
    [
      "a public key as JWT_PRIVATE_KEY",
      "JWT_PRIVATE_KEY",
      { JWT_PRIVATE_KEY: JSON.stringify({ ...signingKey, d: undefined }) },
    ],
    [
      "an HMAC secret as JWT_PRIVATE_KEY",
      "JWT_PRIVATE_KEY",
      { JWT_PRIVATE_KEY: JSON.stringify({ kty: "oct", k: "c2VjcmV0", kid: "k" }) },
    ],
    ["JWT_PREVIOUS_PUBLIC_KEYS not a list", "JWT_PREVIOUS_PUBLIC_KEYS", { JWT_PREVIOUS_PUBLIC_KEYS: "{}" }],
  ])(
    "fails closed in production with %s: 500 bad_environment on every route, the log names %s",
    async (_name, setting, override) => {
      const bindings = { ...PRODUCTION, ...override };
      for (const path of ["/health", "/", "/v1/anything"]) {
        let response = new Response();
        const lines = await logLines(async () => {
          response = await requestApp(app, path, undefined, bindings);
        });
        const problem = await expectProblem(response, 500, "bad_environment");
        // The body never says which setting, or its value: that goes to the log only.
        expect(JSON.stringify(problem)).not.toMatch(
          /DATABASE_URL|ADMIN_SECRET|COOKIE_PREFIX|JWT_|postgres:|CORS|LIMIT|EMAIL|APP_URL|MFA|RP_/,
        );
        const [logged] = lines.filter((line) => line.event === "bad_environment");
        expect(logged?.problems).toContainEqual(expect.stringMatching(new RegExp(`^${setting}[.:]`)));
      }
    },
  );

  it("serves in production without EMAIL, EMAIL_FROM or APP_URL when ACCOUNT_EMAILS is false", async () => {
    const withoutEmail = {
      ...PRODUCTION,
      ACCOUNT_EMAILS: "false",
      EMAIL: undefined,
      EMAIL_FROM: undefined,
      APP_URL: undefined,
    };
    expect((await requestApp(app, "/health", undefined, withoutEmail)).status).toBe(200);
  });

  it("serves the passkeys demo page in development only", async () => {
    const development = await requestApp(app, "/passkeys-demo");
    expect(development.status).toBe(200);
    expect(development.headers.get("Content-Security-Policy")).toContain("script-src 'self'");
    expect(await development.text()).toContain('<script src="/passkeys-demo/demo.js">');
    expect((await requestApp(app, "/passkeys-demo/demo.js")).headers.get("Content-Type")).toMatch(/javascript/);
    await expectProblem(await requestApp(app, "/passkeys-demo", undefined, PRODUCTION), 404, "not_found");
  });

  it("serves in production without RP_ID or RP_ORIGINS when PASSKEYS is false", async () => {
    const withoutPasskeys = { ...PRODUCTION, PASSKEYS: "false", RP_ID: undefined, RP_ORIGINS: undefined };
    expect((await requestApp(app, "/health", undefined, withoutPasskeys)).status).toBe(200);
  });

  it.each([
    ["missing", undefined],
    ["anything but development", "staging"],
  ])("treats an ENVIRONMENT that is %s as production", async (_name, environment) => {
    // Every default is a development one: production refuses them.
    const development = await requestApp(app, "/health", undefined, { COOKIE_PREFIX: undefined });
    expect(development.status).toBe(200);
    await expectProblem(
      await requestApp(app, "/health", undefined, { ENVIRONMENT: environment, COOKIE_PREFIX: undefined }),
      500,
      "bad_environment",
    );
    const sound = await requestApp(app, "/health", undefined, { ...PRODUCTION, ENVIRONMENT: environment });
    expect(sound.status).toBe(200);
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
