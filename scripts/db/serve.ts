/**
 * `npm run db:serve`: the local SQL-over-HTTP endpoint for the DATABASE_URL of
 * `.dev.vars` (default postgres://gatehouse:local@127.0.0.1:4444/gatehouse), on
 * embedded PGlite with its files under `.data/`, or on the PostgreSQL server named
 * by LOCAL_POSTGRES_URL. `npm run dev` starts it for you.
 */
import { LOCAL_DATABASE_URL } from "../../src/core/local-database.ts";
import { databasePort, exitIfPortInUse } from "../dev-ports.ts";
import { readDevVars } from "../dev-vars.ts";
import type { SqlOverHttp } from "../sql-over-http/server.ts";
import { startLocalDatabase } from "../sql-over-http/start.ts";

export const PGLITE_DATA_DIR = ".data/pglite";

/**
 * Starts the endpoint that `databaseUrl` (a loopback URL) points at; when its port is
 * taken, stops the process with one line saying how to move it.
 */
export async function serveLocalDatabase(databaseUrl: string): Promise<SqlOverHttp> {
  await exitIfPortInUse(databasePort(databaseUrl));
  const url = new URL(databaseUrl);
  const postgresUrl = process.env.LOCAL_POSTGRES_URL;
  const endpoint = await startLocalDatabase({
    database: url.pathname.slice(1),
    port: Number(url.port),
    postgresUrl,
    dataDir: postgresUrl ? undefined : PGLITE_DATA_DIR,
  });
  console.log(`database: ${endpoint.backend.kind} behind ${endpoint.url}/sql`);
  return endpoint;
}

if (import.meta.main) {
  const endpoint = await serveLocalDatabase(readDevVars().DATABASE_URL ?? LOCAL_DATABASE_URL);
  const stop = () => endpoint.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
