import { PgliteBackend } from "../sql-over-http/pglite-backend.ts";
import { startSqlOverHttp } from "../sql-over-http/server.ts";
import { migrate } from "./migrate.ts";

/**
 * An embedded database behind the local endpoint with every migration applied, for
 * the scripts' own tests.
 *
 * @example
 * const database = await startMigratedDatabase();
 * await seedEmployees(database.url, 100);
 * await database.close();
 */
export async function startMigratedDatabase(): Promise<{ url: string; close: () => Promise<void> }> {
  const endpoint = await startSqlOverHttp(new PgliteBackend({ database: "postgres" }));
  const url = `postgres://gatehouse:local@127.0.0.1:${endpoint.port}/postgres`;
  await migrate(url);
  return { url, close: () => endpoint.close() };
}
