/**
 * The Worker served by `wrangler dev`'s engine on a free loopback port, for tests
 * that drive it from Node (a browser, an OpenAPI validator) rather than from
 * inside workerd.
 */
import { randomBytes } from "node:crypto";
import { type Unstable_DevWorker, unstable_dev } from "wrangler";
import { generateSigningKey } from "../../scripts/dev-vars.ts";

export type DevWorker = Unstable_DevWorker & { origin: string };

/**
 * `vars` adds to or overrides the development settings (a database, CORS origins);
 * `port` fixes the port, for settings that must name it (RP_ORIGINS).
 */
export async function startDevWorker(vars: Record<string, string> = {}, port?: number): Promise<DevWorker> {
  const worker = await unstable_dev("src/index.ts", {
    config: "wrangler.toml",
    envFiles: [],
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
