// The bindings tests read and rewrite (see vitest.config.ts and test/setup/database.ts).
declare namespace Cloudflare {
  interface Env {
    ENVIRONMENT: string;
    DATABASE_URL: string;
    DATABASE_TIMEOUT_MS: string;
    JWT_PRIVATE_KEY: string;
    ADMIN_SECRET: string;
    MFA_ENCRYPTION_KEY: string;
    FUZZ_RUNS?: string;
    ASSETS: Fetcher;
    RATE_LIMITER: DurableObjectNamespace<import("../src/rate-limit/limiter.ts").RateLimiter>;
    SESSION_FAMILY: DurableObjectNamespace<import("../src/sessions/session-family.ts").SessionFamily>;
  }
}

// Vite's `?raw` imports: a file's text, for tests that check documents against the code.
declare module "*?raw" {
  const text: string;
  export default text;
}
