// The bindings tests read and rewrite (see vitest.config.ts and test/setup/database.ts).
declare namespace Cloudflare {
  interface Env {
    ENVIRONMENT: string;
    DATABASE_URL: string;
    DATABASE_TIMEOUT_MS: string;
    ASSETS: Fetcher;
  }
}
