import { mkdirSync } from "node:fs";
import type { SqlBackend } from "./backend.ts";
import { PgliteBackend } from "./pglite-backend.ts";
import { PostgresBackend } from "./postgres-backend.ts";
import { type SqlOverHttp, startSqlOverHttp } from "./server.ts";

export interface LocalDatabaseOptions {
  /** The database that exists from the start (PGlite) or is created if missing (PostgreSQL). */
  database: string;
  /** A real PostgreSQL server to use instead of PGlite (its URL names an existing database). */
  postgresUrl?: string;
  /** Where PGlite keeps its files; in memory when absent. */
  dataDir?: string;
  port?: number;
}

/** Starts the local SQL-over-HTTP endpoint on PGlite, or on PostgreSQL when `postgresUrl` is set. */
export async function startLocalDatabase(options: LocalDatabaseOptions): Promise<SqlOverHttp> {
  let backend: SqlBackend;
  if (options.postgresUrl) {
    backend = new PostgresBackend(options.postgresUrl);
    await backend.createDatabase(options.database).catch((error: { code?: string }) => {
      if (error.code !== "42P04") throw error; // already exists: keep it
    });
  } else {
    if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
    backend = new PgliteBackend({ database: options.database, dataDir: options.dataDir });
  }
  await backend.query(options.database, { query: "SELECT 1", params: [] });
  return startSqlOverHttp(backend, options.port);
}
