import { NeonDbError } from "@neondatabase/serverless";

/** Postgres error classes that mean the database, not the query, failed. */
const UNAVAILABLE_SQLSTATE = /^(08|53|57P|3D000)/;

/** `error` and its causes, outermost first: Drizzle wraps the driver's error in `cause`. */
function causeChain(error: unknown): Error[] {
  const chain: Error[] = [];
  for (let current = error; current instanceof Error && !chain.includes(current); current = current.cause) {
    chain.push(current);
  }
  return chain;
}

/**
 * Whether `error` (or its cause, as Drizzle wraps driver errors) says the database
 * could not be reached or did not answer in time, rather than refusing a query.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (const current of causeChain(error)) {
    if (current.name === "TimeoutError" || current.name === "AbortError") return true;
    if (current instanceof NeonDbError) {
      return current.code === undefined || UNAVAILABLE_SQLSTATE.test(current.code);
    }
  }
  return false;
}

/** undefined_table and undefined_column: the code expects a schema the database does not have yet. */
const MISSING_SCHEMA_SQLSTATES: ReadonlySet<string> = new Set(["42P01", "42703"]);

/**
 * Whether `error` says a table or column the query names does not exist: in
 * development, a migration that `npm run db:generate` wrote but nobody applied.
 */
export function isMissingSchema(error: unknown): boolean {
  return MISSING_SCHEMA_SQLSTATES.has(postgresErrorCode(error) ?? "");
}

/** The SQLSTATE of a Postgres error (Drizzle wraps the driver's), e.g. `23503` for a foreign key. */
export function postgresErrorCode(error: unknown): string | undefined {
  return causeChain(error).find((current) => current instanceof NeonDbError)?.code;
}

/**
 * What a log line may say about a failure: the class of each error down the `cause`
 * chain and the Postgres SQLSTATE. Never a message or a stack (which starts with the
 * message): Drizzle's message is the failed SQL with its parameters (password hashes,
 * emails, token hashes, user agents, addresses), and Postgres's can quote the value it
 * refused.
 *
 * @example
 * logger.warn("database_unavailable", errorLogFields(error));
 * // → { error: "DrizzleQueryError > NeonDbError", sqlstate: "57P01" }
 */
export function errorLogFields(error: unknown): { error: string; sqlstate?: string } {
  const classes = causeChain(error).map((current) => current.constructor.name);
  const sqlstate = postgresErrorCode(error);
  return { error: classes.length > 0 ? classes.join(" > ") : typeof error, ...(sqlstate ? { sqlstate } : {}) };
}
