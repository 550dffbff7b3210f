import { z } from "@hono/zod-openapi";
import { fromBase64Url } from "./encoding.ts";
import { PrivateJwkSchema, PublicJwkSchema } from "./jwk.ts";
import { isLoopbackDatabase, LOCAL_DATABASE_URL } from "./local-database.ts";
import { LOG_LEVELS } from "./logger.ts";

const DEV_COOKIE_PREFIX = "gatehouse";
const DEV_SECURITY_CONTACT = "mailto:security@example.invalid";
const DEV_EMAIL_FROM = "noreply@gatehouse.localhost";
// On another PORT, `npm run dev` passes APP_URL and RP_ORIGINS for it (scripts/dev-ports.ts).
const DEV_APP_URL = "http://localhost:8787";
const DEV_RP_ID = "localhost";
const DEV_RP_ORIGINS = ["http://localhost:8787"];
const DEV_CORS_ORIGINS = [
  "http://localhost:5173",
  ...Array.from({ length: 100 }, (_, i) => `http://localhost:${5100 + i}`),
];

/** A request limit: a non-negative integer, 0 meaning off. */
const limit = (fallback: number) => z.coerce.number().int().min(0).max(1_000_000).default(fallback);
/** A `"true"`/`"false"` binding. */
const flag = (fallback: boolean) =>
  z
    .enum(["true", "false"])
    .default(fallback ? "true" : "false")
    .transform((value) => value === "true");
const seconds = (fallback: number, max: number) => z.coerce.number().int().min(0).max(max).default(fallback);
const csv = z.string().transform((value) =>
  value
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean),
);

/** 32 random bytes, read as the MFA code will read them (`fromBase64Url`: 43 characters, canonical). */
const aesKey = z.string().refine((text) => {
  try {
    return fromBase64Url(text).length === 32;
  } catch {
    return false;
  }
}, "must be 32 random bytes in base64url (43 characters)");

/** A binding holding JSON, parsed and then validated by `schema`. */
function jsonBinding<T extends z.ZodType>(schema: T) {
  return z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "is not valid JSON" });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

/**
 * Every string binding Gatehouse reads, validated once per isolate. Defaults are the
 * development ones; in production `productionProblems` refuses the weak ones.
 */
export const EnvSchema = z.object({
  /**
   * Only exactly `development` relaxes anything. Missing means production: wrangler does
   * not carry `[vars]` into an `[env.*]`, and a dashboard deploy may have none, so a
   * forgotten setting must not switch the production checks off.
   */
  ENVIRONMENT: z.string().default("production"),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).default(LOCAL_DATABASE_URL),
  DATABASE_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  ADMIN_SECRET: z.string().optional(),
  JWT_PRIVATE_KEY: jsonBinding(PrivateJwkSchema),
  JWT_PREVIOUS_PUBLIC_KEYS: jsonBinding(z.array(PublicJwkSchema).max(10)).default([]),
  /** Defaults to the origin the request came to. */
  JWT_ISSUER: z.url().optional(),
  JWT_AUDIENCE: z.string().min(1).default("gatehouse"),
  ACCESS_TOKEN_TTL_SECONDS: seconds(900, 86_400).pipe(z.number().min(1)),
  REFRESH_TOKEN_TTL_SECONDS: seconds(604_800, 31_536_000).pipe(z.number().min(1)),
  REFRESH_REUSE_GRACE_SECONDS: seconds(10, 300),
  /** How long a login or a re-authentication lets its session make sensitive changes (src/http/recent-auth.ts). */
  REAUTH_WINDOW_SECONDS: seconds(300, 3_600).pipe(z.number().min(1)),
  /** Ask the session's Durable Object on every access-token request whether the session still lives (production requires it). */
  SESSION_REVOCATION_CHECK: flag(true),
  COOKIE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,32}$/)
    .default(DEV_COOKIE_PREFIX),
  COOKIE_DOMAIN: z
    .string()
    .regex(/^[A-Za-z0-9.-]{1,253}$/)
    .optional(),
  CORS_ORIGINS: csv.optional(),
  SECURITY_CONTACT: z.string().default(DEV_SECURITY_CONTACT),
  API_KEY_PREFIX: z
    .string()
    .regex(/^[a-z][a-z0-9]{1,15}$/)
    .default("gate"),
  API_KEY_DEFAULT_TTL_DAYS: z.coerce.number().int().min(1).max(3650).default(15),
  /** Accept `?api_key=` (never logged); off by default because URLs end up in logs and histories. */
  API_KEY_ALLOW_QUERY: flag(false),
  /** Seconds an isolate may reuse a key verification; 0 = verify every request. */
  API_KEY_CACHE_TTL: seconds(30, 3600),
  API_KEY_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
  /** The highest `rate_limit_per_minute` a user may give a key of their own (admins issue higher ones). */
  API_KEY_USER_MAX_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
  /** Live (unrevoked, unexpired) keys a user may create for themselves; admin-issued keys do not count. */
  API_KEY_USER_MAX_KEYS: z.coerce.number().int().min(1).max(10_000).default(25),
  LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
  /** Leave /v1/auth, /v1/keys and /v1/admin out of /openapi.json (they still work). */
  HIDE_AUTH_DOCS: flag(false),
  RATE_LIMIT_GLOBAL_PER_MINUTE: limit(60),
  RATE_LIMIT_LOGIN_PER_MINUTE: limit(5),
  RATE_LIMIT_REGISTER_PER_MINUTE: limit(3),
  RATE_LIMIT_REFRESH_PER_MINUTE: limit(30),
  /** Requests per minute of one session (access token); limited in the session's own object, no extra call. */
  RATE_LIMIT_USER_PER_MINUTE: limit(600),
  /** Failed logins one client (IP or /64) may make on one account per window before it is refused there. */
  LOGIN_FAILURES_PER_CLIENT: limit(10),
  /** Failed logins on one account per window, from all clients, after which only clients without a recent failure may try. */
  LOGIN_FAILURES_PER_ACCOUNT: limit(100),
  LOGIN_FAILURE_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  /** Wrong second-factor codes on one account per window, from all clients together. */
  MFA_FAILURES_PER_ACCOUNT: limit(10),
  /** The AES-256-GCM key TOTP secrets are encrypted under at rest: 32 random bytes, base64url. */
  MFA_ENCRYPTION_KEY: aesKey,
  /** The key before the last rotation: secrets it encrypted still open, and are re-encrypted when next used. */
  MFA_PREVIOUS_ENCRYPTION_KEY: aesKey.optional(),
  /** Password reset and email verification, by email through the EMAIL binding (production then requires EMAIL, EMAIL_FROM and APP_URL). */
  ACCOUNT_EMAILS: flag(true),
  /** The sender of account emails, an address of a domain onboarded to Cloudflare Email Service. */
  EMAIL_FROM: z.email().optional(),
  /** Where the links in account emails point (`/reset-password#token=…`, `/verify-email#token=…`). */
  APP_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Passkeys (WebAuthn): registration and passwordless login (production then requires RP_ID and RP_ORIGINS). */
  PASSKEYS: flag(true),
  /** The domain passkeys are bound to, e.g. `example.com` (every origin in RP_ORIGINS is it or a subdomain). */
  RP_ID: z
    .string()
    .regex(
      /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/,
      "must be a lower-case domain name",
    )
    .optional(),
  /** The name authenticators show beside the passkey. */
  RP_NAME: z.string().min(1).max(64).default("Gatehouse"),
  /** Comma-separated origins of the pages that run passkey ceremonies, e.g. `https://app.example.com`. */
  RP_ORIGINS: csv.optional(),
  /** Refuse tokens to a correct password, and new passkeys and API keys, until the address is verified (403 `email_not_verified`). */
  REQUIRE_EMAIL_VERIFICATION: flag(false),
  /** Per IP: `/password/forgot`, `/password/reset`, `/email/verify`, `/email/verify/request`. */
  RATE_LIMIT_RECOVERY_PER_MINUTE: limit(5),
  /** Account emails one account may receive per hour, however its address is typed; past it, requests are answered the same but nothing is sent. */
  EMAILS_PER_ADDRESS_PER_HOUR: limit(5),
  /** Days an audit event is kept; the daily scheduled run deletes older ones (and cuts addresses to their network after 30 days). */
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3_650).default(365),
  /** The rate-limit window; "per minute" limits count over this many seconds (tests shorten it). */
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3_600).default(60),
});

export type Config = z.output<typeof EnvSchema> & {
  CORS_ORIGINS: string[];
  /** EMAIL_FROM, else (development only) `noreply@gatehouse.localhost`, which the simulated binding accepts. */
  EMAIL_FROM: string;
  /** APP_URL without a trailing slash, else (development only) the local `wrangler dev` address. */
  APP_URL: string;
  /** RP_ID, else (development only) `localhost`. */
  RP_ID: string;
  /** RP_ORIGINS, else (development only) the local `wrangler dev` address. */
  RP_ORIGINS: string[];
  isProduction: boolean;
};

/** Bindings that are not strings: Durable Objects, static assets. */
export interface PlatformBindings {
  ASSETS: Fetcher;
  /** Cloudflare Email Service (`send_email` in wrangler.toml); `wrangler dev` and the tests simulate it. */
  EMAIL?: SendEmail;
  /** RateLimiter objects, typed where they are reached (src/rate-limit/limiter-rpc.ts): this file imports nothing above it. */
  RATE_LIMITER: DurableObjectNamespace;
  /** SessionFamily objects, typed where they are reached (src/services/sessions.ts). */
  SESSION_FAMILY: DurableObjectNamespace;
}

export type Bindings = Config & PlatformBindings;

export type EnvResult = { ok: true; env: Bindings } | { ok: false; problems: string[] };

const cache = new WeakMap<object, EnvResult>();

/**
 * Validates the raw Worker bindings. The result is cached per bindings object, so
 * the schema runs once per isolate, not per request.
 */
export function loadEnv(raw: Record<string, unknown>): EnvResult {
  let result = cache.get(raw);
  if (!result) {
    result = parseEnv(raw);
    cache.set(raw, result);
  }
  return result;
}

function parseEnv(raw: Record<string, unknown>): EnvResult {
  const parsed = EnvSchema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`) };
  }
  const isProduction = parsed.data.ENVIRONMENT !== "development";
  const config: Config = {
    ...parsed.data,
    CORS_ORIGINS: parsed.data.CORS_ORIGINS ?? (isProduction ? [] : DEV_CORS_ORIGINS),
    EMAIL_FROM: parsed.data.EMAIL_FROM ?? (isProduction ? "" : DEV_EMAIL_FROM),
    APP_URL: (parsed.data.APP_URL ?? (isProduction ? "" : DEV_APP_URL)).replace(/\/+$/, ""),
    RP_ID: parsed.data.RP_ID ?? (isProduction ? "" : DEV_RP_ID),
    RP_ORIGINS: parsed.data.RP_ORIGINS ?? (isProduction ? [] : DEV_RP_ORIGINS),
    isProduction,
  };
  const problems = isProduction ? productionProblems(config, raw.EMAIL !== undefined) : [];
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, env: { ...(raw as unknown as PlatformBindings), ...config } };
}

/**
 * The limits that guard the credential endpoints: password guessing (login, the account
 * lock), account creation (argon2id work and address probing per IP), refresh (a Durable
 * Object call and a SQL request each). Production refuses 0 (off) for any of them; the
 * global anonymous limit may be 0 where a front proxy limits instead.
 */
const CREDENTIAL_LIMITS = [
  "RATE_LIMIT_LOGIN_PER_MINUTE",
  "RATE_LIMIT_REGISTER_PER_MINUTE",
  "RATE_LIMIT_REFRESH_PER_MINUTE",
  "LOGIN_FAILURES_PER_CLIENT",
  "LOGIN_FAILURES_PER_ACCOUNT",
  "MFA_FAILURES_PER_ACCOUNT",
  "RATE_LIMIT_RECOVERY_PER_MINUTE",
  "EMAILS_PER_ADDRESS_PER_HOUR",
] as const satisfies readonly (keyof Config)[];

/** The settings production refuses, each named so the log line says what to fix. */
function productionProblems(config: Config, hasEmailBinding: boolean): string[] {
  const problems: string[] = [];
  if (config.ACCOUNT_EMAILS) {
    if (!hasEmailBinding) problems.push("EMAIL: the send_email binding is missing (or set ACCOUNT_EMAILS=false)");
    if (config.EMAIL_FROM === "")
      problems.push("EMAIL_FROM: required for account emails (or set ACCOUNT_EMAILS=false)");
    if (!config.APP_URL.startsWith("https://")) {
      problems.push("APP_URL: an https:// address is required for account emails (or set ACCOUNT_EMAILS=false)");
    }
  }
  if (config.PASSKEYS) problems.push(...passkeyProblems(config));
  const database = new URL(config.DATABASE_URL);
  if (config.DATABASE_URL.includes("postgres:postgres@") || database.password === "") {
    problems.push("DATABASE_URL: default or empty database credentials");
  }
  if (isLoopbackDatabase(config.DATABASE_URL)) {
    problems.push("DATABASE_URL: points at the local development endpoint");
  }
  if (config.ADMIN_SECRET !== undefined && !isStrongSecret(config.ADMIN_SECRET)) {
    problems.push("ADMIN_SECRET: must be at least 32 characters and not a repeated or default value");
  }
  if (config.COOKIE_PREFIX === DEV_COOKIE_PREFIX) {
    problems.push("COOKIE_PREFIX: must be changed from the development default");
  }
  if (config.SECURITY_CONTACT === DEV_SECURITY_CONTACT || !/^(mailto:|https:\/\/)\S+$/.test(config.SECURITY_CONTACT)) {
    problems.push("SECURITY_CONTACT: must be a mailto: or https:// contact of your own");
  }
  if (config.CORS_ORIGINS.some((origin) => origin.includes("*"))) {
    problems.push("CORS_ORIGINS: wildcards are not allowed in production");
  }
  // Allowed origins act with the user's cookies. `null` is the Origin of sandboxed frames
  // and file: pages, which anyone can make; an http:// page can be rewritten in transit.
  if (config.CORS_ORIGINS.some((origin) => URL.parse(origin)?.protocol !== "https:")) {
    problems.push("CORS_ORIGINS: every origin must be https:// in production (no http:// and no null)");
  }
  if (!config.SESSION_REVOCATION_CHECK) {
    problems.push("SESSION_REVOCATION_CHECK: must be true in production, or ended sessions keep working until expiry");
  }
  if (config.API_KEY_ALLOW_QUERY) {
    problems.push("API_KEY_ALLOW_QUERY: must be false in production; keys in URLs end up in logs and histories");
  }
  for (const setting of CREDENTIAL_LIMITS) {
    if (config[setting] === 0)
      problems.push(`${setting}: 0 turns off a credential endpoint's limit; not in production`);
  }
  return problems;
}

/** Passkeys need their domain and the https:// origins on it, each named or refused. */
function passkeyProblems({ RP_ID, RP_ORIGINS }: Config): string[] {
  if (RP_ID === "") return ["RP_ID: required for passkeys (or set PASSKEYS=false)"];
  if (RP_ORIGINS.length === 0) return ["RP_ORIGINS: required for passkeys (or set PASSKEYS=false)"];
  return RP_ORIGINS.flatMap((origin) => {
    const url = URL.parse(origin);
    if (url?.protocol !== "https:" || url.origin !== origin) return [`RP_ORIGINS: ${origin} is not an https:// origin`];
    if (url.hostname !== RP_ID && !url.hostname.endsWith(`.${RP_ID}`))
      return [`RP_ORIGINS: ${origin} is not on RP_ID ${RP_ID} or a subdomain of it`];
    return [];
  });
}

const WEAK_SECRETS = /^(change-?me|secret|password|admin|gatehouse|test|dev(elopment)?)/i;

function isStrongSecret(secret: string): boolean {
  return secret.length >= 32 && new Set(secret).size >= 10 && !WEAK_SECRETS.test(secret);
}
