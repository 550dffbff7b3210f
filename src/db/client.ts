import { neon, neonConfig } from "@neondatabase/serverless";
import { drizzle } from "drizzle-orm/neon-http";
import { LOOPBACK_HOSTS } from "../core/local-database.ts";
import * as schema from "./schema/index.ts";

const neonEndpoint = neonConfig.fetchEndpoint;

// The local SQL-over-HTTP endpoint speaks plain HTTP on loopback; Neon is reached
// over HTTPS as usual. Production refuses a loopback DATABASE_URL (see env.ts).
neonConfig.fetchEndpoint = (host, port, options) =>
  LOOPBACK_HOSTS.has(host)
    ? `http://${host}:${port}/sql`
    : typeof neonEndpoint === "function"
      ? neonEndpoint(host, port, options)
      : neonEndpoint;

export type Database = ReturnType<typeof createDatabase>;

/**
 * A Drizzle client over Neon's HTTP driver: each query or batch is one HTTP round
 * trip. `timeoutMs` bounds the whole request's database time, so a slow database
 * gives a 503 rather than a hung request.
 */
export function createDatabase(url: string, timeoutMs: number) {
  const client = neon(url, { fetchOptions: { signal: AbortSignal.timeout(timeoutMs) } });
  return drizzle({ client, schema, casing: "snake_case" });
}
