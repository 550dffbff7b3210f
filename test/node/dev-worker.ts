/**
 * The Worker served by `wrangler dev`'s engine on a free loopback port, for tests
 * that drive it from Node (a browser, an OpenAPI validator) rather than from
 * inside workerd.
 */
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { expect } from "vitest";
import { type Unstable_DevWorker, unstable_dev } from "wrangler";
import { migrate } from "../../scripts/db/migrate.ts";
import { generateSigningKey } from "../../scripts/dev-vars.ts";
import type { SqlOverHttp } from "../../scripts/sql-over-http/server.ts";
import { startLocalDatabase } from "../../scripts/sql-over-http/start.ts";
import { wranglerConfigForTests } from "../../scripts/test-wrangler-config.ts";

export type DevWorker = Unstable_DevWorker & { origin: string };

/**
 * `vars` adds to or overrides the development settings (a database, CORS origins);
 * `port` fixes the port, for settings that must name it (RP_ORIGINS).
 */
export async function startDevWorker(vars: Record<string, string> = {}, port?: number): Promise<DevWorker> {
  const worker = await unstable_dev("src/index.ts", {
    // wrangler.toml, but not the .dev.vars beside it (scripts/test-wrangler-config.ts).
    config: wranglerConfigForTests(),
    vars: {
      ENVIRONMENT: "development",
      JWT_PRIVATE_KEY: JSON.stringify(generateSigningKey("e2e")),
      MFA_ENCRYPTION_KEY: randomBytes(32).toString("base64url"),
      ...vars,
    },
    ip: "127.0.0.1",
    port,
    experimental: { disableExperimentalWarning: true },
  });
  return Object.assign(worker, { origin: `http://${worker.address}:${worker.port}` });
}

/** A fresh, migrated local database named `name`, and the URL the Worker reaches it at. */
export async function startMigratedDatabase(name: string): Promise<{ database: SqlOverHttp; url: string }> {
  const database = await startLocalDatabase({ database: name });
  const url = `postgres://gatehouse:local@127.0.0.1:${database.port}/${name}`;
  await migrate(url);
  return { database, url };
}

/** Registers `account` through the Worker's API. */
export async function registerAccount(worker: DevWorker, account: { email: string; password: string }): Promise<void> {
  const registered = await fetch(`${worker.origin}/v1/auth/register`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(account),
  });
  expect(registered.status).toBe(201);
}

/** A loopback port nobody listens on now, for a Worker whose settings must name it (RP_ORIGINS). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== "object" || address === null) throw new Error("no free port");
  return address.port;
}
