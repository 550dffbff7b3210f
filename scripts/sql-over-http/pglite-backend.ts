import { PGlite, type Results } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import {
  assertDatabaseName,
  type BatchMode,
  type FieldDescriptor,
  PostgresError,
  type RawResult,
  type SqlBackend,
  type Statement,
  transactionModes,
} from "./backend.ts";

type TextCodecs = Record<number, (value: string) => string>;

/** The extensions the migrations may create, as Neon offers them (pg_trgm: substring search indexes). */
const EXTENSIONS = { pg_trgm };

export interface PgliteBackendOptions {
  /** Name of the database that exists from the start. */
  database: string;
  /** Where that database keeps its files; in memory when absent. */
  dataDir?: string;
}

/**
 * Embedded Postgres (PGlite, Postgres compiled to WebAssembly), one instance per
 * database. PGlite parses values into JavaScript by default; the Neon protocol
 * wants Postgres's text output, so every query runs with identity parsers and
 * serializers for every type in `pg_type`.
 */
export class PgliteBackend implements SqlBackend {
  readonly kind = "pglite";
  readonly #databases = new Map<string, Promise<PGlite>>();
  #textCodecs?: Promise<TextCodecs>;

  constructor(options: PgliteBackendOptions) {
    assertDatabaseName(options.database);
    this.#databases.set(options.database, PGlite.create({ dataDir: options.dataDir, extensions: EXTENSIONS }));
  }

  async query(database: string, statement: Statement): Promise<RawResult> {
    const pg = await this.#database(database);
    return toRawResult(await pg.query(statement.query, statement.params, await this.#options(pg)));
  }

  async batch(database: string, statements: Statement[], mode: BatchMode): Promise<RawResult[]> {
    const pg = await this.#database(database);
    const options = await this.#options(pg);
    const modes = transactionModes(mode);
    return pg.transaction(async (tx) => {
      if (modes) await tx.query(`SET TRANSACTION ${modes}`);
      const results: RawResult[] = [];
      for (const { query, params } of statements) {
        results.push(toRawResult(await tx.query(query, params, options)));
      }
      return results;
    });
  }

  createDatabase(name: string): Promise<void> {
    return this.#add(name, PGlite.create({ extensions: EXTENSIONS }));
  }

  async copyDatabase(template: string, name: string): Promise<void> {
    const source = await this.#database(template);
    return this.#add(name, source.clone() as Promise<PGlite>);
  }

  async dropDatabase(name: string): Promise<void> {
    const pg = await this.#database(name);
    this.#databases.delete(name);
    await pg.close();
  }

  async close(): Promise<void> {
    const all = await Promise.all(this.#databases.values());
    this.#databases.clear();
    await Promise.all(all.map((pg) => pg.close()));
  }

  async #add(name: string, instance: Promise<PGlite>): Promise<void> {
    assertDatabaseName(name);
    if (this.#databases.has(name)) throw new PostgresError(`database "${name}" already exists`, "42P04");
    this.#databases.set(name, instance);
    try {
      await instance;
    } catch (error) {
      this.#databases.delete(name);
      throw error;
    }
  }

  #database(name: string): Promise<PGlite> {
    const pg = this.#databases.get(name);
    if (!pg) return Promise.reject(new PostgresError(`database "${name}" does not exist`, "3D000"));
    return pg;
  }

  #options(pg: PGlite) {
    this.#textCodecs ??= pg
      .query<{ oid: number }>("SELECT oid::int AS oid FROM pg_type")
      .then(({ rows }) => Object.fromEntries(rows.map(({ oid }) => [oid, (value: string) => value])));
    return this.#textCodecs.then((codecs) => ({
      rowMode: "array" as const,
      parsers: codecs,
      serializers: codecs,
    }));
  }
}

function toRawResult(result: Results): RawResult {
  const fields: FieldDescriptor[] = result.fields.map(({ name, dataTypeID }) => ({
    name,
    dataTypeID,
    tableID: 0,
    columnID: 0,
    dataTypeSize: -1,
    dataTypeModifier: -1,
    format: "text",
  }));
  return {
    command: result.command ?? "",
    rowCount: result.rowCount ?? result.affectedRows ?? null,
    fields,
    rows: result.rows as unknown as (string | null)[][],
  };
}
