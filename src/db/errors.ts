import { NeonDbError } from "@neondatabase/serverless";

/** Postgres error classes that mean the database, not the query, failed. */
const UNAVAILABLE_SQLSTATE = /^(08|53|57P|3D000)/;

/**
 * Whether `error` (or its cause, as Drizzle wraps driver errors) says the database
 * could not be reached or did not answer in time, rather than refusing a query.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    if (current.name === "TimeoutError" || current.name === "AbortError") return true;
    if (current instanceof NeonDbError) {
      return current.code === undefined || UNAVAILABLE_SQLSTATE.test(current.code);
    }
  }
  return false;
}

/** The SQLSTATE of a Postgres error (Drizzle wraps the driver's), e.g. `23503` for a foreign key. */
export function postgresErrorCode(error: unknown): string | undefined {
  for (let current = error; current instanceof Error; current = current.cause) {
    if (current instanceof NeonDbError) return current.code;
  }
  return undefined;
}
