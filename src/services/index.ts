import { createDatabase, type Database } from "../db/client.ts";
import type { Bindings } from "../env.ts";

/** What handlers use, built once per request by the `services` middleware. */
export interface Services {
  /** Created on first use, so requests that never query pay nothing for it. */
  readonly db: Database;
}

export function createServices(env: Bindings): Services {
  let db: Database | undefined;
  return {
    get db() {
      db ??= createDatabase(env.DATABASE_URL, env.DATABASE_TIMEOUT_MS);
      return db;
    },
  };
}
