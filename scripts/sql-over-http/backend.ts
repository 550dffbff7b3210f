/**
 * What the SQL-over-HTTP endpoint needs from a Postgres: run statements with text
 * parameters and get every value back as Postgres's own text output, one database
 * per name, and copies of a migrated template for isolated test files.
 */

/** One statement as the Neon driver sends it: `$1`-style placeholders, text or null params. */
export interface Statement {
  query: string;
  params: (string | null)[];
}

/** A field descriptor in the shape Neon (and node-postgres) report it. */
export interface FieldDescriptor {
  name: string;
  tableID: number;
  columnID: number;
  dataTypeID: number;
  dataTypeSize: number;
  dataTypeModifier: number;
  format: "text";
}

/** One statement's result with values in Postgres text output (raw-text, array mode). */
export interface RawResult {
  command: string;
  rowCount: number | null;
  fields: FieldDescriptor[];
  rows: (string | null)[][];
}

export type IsolationLevel = "ReadUncommitted" | "ReadCommitted" | "RepeatableRead" | "Serializable";

/** The transaction mode of a batch, from the `Neon-Batch-*` headers. */
export interface BatchMode {
  isolationLevel?: IsolationLevel;
  readOnly?: boolean;
  deferrable?: boolean;
}

export interface SqlBackend {
  /** Which backend this is, for logs: `pglite` or `postgres`. */
  readonly kind: string;
  /** Runs one statement outside any explicit transaction. */
  query(database: string, statement: Statement): Promise<RawResult>;
  /** Runs statements in one transaction: all commit or none do. */
  batch(database: string, statements: Statement[], mode: BatchMode): Promise<RawResult[]>;
  /** Creates an empty database. */
  createDatabase(name: string): Promise<void>;
  /** Creates `name` as a copy of `template` (schema and rows). */
  copyDatabase(template: string, name: string): Promise<void>;
  dropDatabase(name: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * A Postgres-style error for conditions the backend itself detects, so that
 * clients see the same shape as for errors raised by the server.
 */
export class PostgresError extends Error {
  readonly severity = "ERROR";
  readonly code: string;

  constructor(message: string, code: string) {
    super(message);
    this.code = code;
  }
}

/** Database names the endpoint accepts: they are interpolated as identifiers. */
export const DATABASE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertDatabaseName(name: string): void {
  if (!DATABASE_NAME.test(name)) {
    throw new PostgresError(`invalid database name "${name}"`, "3D000");
  }
}

const ISOLATION_SQL: Record<IsolationLevel, string> = {
  ReadUncommitted: "READ UNCOMMITTED",
  ReadCommitted: "READ COMMITTED",
  RepeatableRead: "REPEATABLE READ",
  Serializable: "SERIALIZABLE",
};

/** The transaction modes of a batch as SQL, for `BEGIN …` or `SET TRANSACTION …`. */
export function transactionModes(mode: BatchMode): string {
  const parts: string[] = [];
  if (mode.isolationLevel) parts.push(`ISOLATION LEVEL ${ISOLATION_SQL[mode.isolationLevel]}`);
  if (mode.readOnly !== undefined) parts.push(mode.readOnly ? "READ ONLY" : "READ WRITE");
  if (mode.deferrable !== undefined) parts.push(mode.deferrable ? "DEFERRABLE" : "NOT DEFERRABLE");
  return parts.join(" ");
}

export function isIsolationLevel(value: string): value is IsolationLevel {
  return value in ISOLATION_SQL;
}
