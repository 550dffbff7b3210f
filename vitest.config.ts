import { randomBytes } from "node:crypto";
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { generateSigningKey } from "./scripts/dev-vars.ts";
import { wranglerConfigForTests } from "./scripts/test-wrangler-config.ts";

// Fresh secrets per run, as `npm run dev` makes them; tests never depend on a .dev.vars.
const TEST_SIGNING_KEY = JSON.stringify(generateSigningKey("test-key"));
const TEST_ADMIN_SECRET = randomBytes(32).toString("base64url");
const TEST_MFA_KEY = randomBytes(32).toString("base64url");

export default defineConfig({
  test: {
    // Request logs are one line per request; show them only for failing tests.
    silent: "passed-only",
    // CI also keeps a machine-readable summary, which .ci/run prints as its closing line.
    reporters: process.env.CI ? ["default", ["json", { outputFile: "build/test-results.json" }]] : ["default"],
    projects: [
      {
        // Creating, migrating and starting embedded databases (PGlite starts in a hook) takes
        // seconds on a loaded 2-core machine, past the 10 s default.
        test: {
          name: "node",
          include: ["scripts/**/*.test.ts"],
          environment: "node",
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: { name: "node-e2e", include: ["test/node/**/*.test.ts"], environment: "node", testTimeout: 60_000 },
      },
      {
        plugins: [
          cloudflareTest(({ inject }) => ({
            // wrangler.toml, but not the .dev.vars beside it (scripts/test-wrangler-config.ts).
            wrangler: { configPath: wranglerConfigForTests() },
            miniflare: {
              bindings: {
                ENVIRONMENT: "development",
                // Rewritten per test file to that file's own database (test/setup/database.ts).
                DATABASE_URL: `postgres://gatehouse:local@${new URL(inject("sqlEndpoint")).host}/unset`,
                // Room for a loaded 2-core CI machine running every file at once on PGlite;
                // the slow-database tests delay past it.
                DATABASE_TIMEOUT_MS: "5000",
                JWT_PRIVATE_KEY: TEST_SIGNING_KEY,
                ADMIN_SECRET: TEST_ADMIN_SECRET,
                MFA_ENCRYPTION_KEY: TEST_MFA_KEY,
                // Cases per operation in test/fuzz/openapi-fuzz.test.ts.
                FUZZ_RUNS: process.env.FUZZ_RUNS ?? "200",
              },
            },
          })),
        ],
        test: {
          name: "workers",
          // Integration tests under test/, unit tests beside the modules they test.
          include: ["test/**/*.test.ts", "src/**/*.test.ts"],
          exclude: ["test/node/**"],
          globalSetup: ["./test/global-setup.ts"],
          setupFiles: ["./test/setup/database.ts"],
        },
      },
    ],
  },
});
