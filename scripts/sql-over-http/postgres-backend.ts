import pg from "pg";
import {
  assertDatabaseName,
  type BatchMode,
  type RawResult,
  type SqlBackend,
  type Statement,
  transactionModes,
} from "./backend.ts";

/** node-postgres hands every value back as the text Postgres sent. */
const rawText = { getTypeParser: () => (value: string) => value };

/**
 * A real PostgreSQL server behind the endpoint. `url` names a database that exists
 * (e.g. `postgres`); it is used to create, copy and drop the others, each of which
 * gets its own small pool.
 */
export class PostgresBackend implements SqlBackend {
  readonly kind = "postgres";
  readonly #url: URL;
  readonly #admin: pg.Pool;
  readonly #pools = new Map<string, pg.Pool>();

  constructor(url: string) {
    this.#url = new URL(url);
    this.#admin = withIdleErrorsHandled(new pg.Pool({ connectionString: url, max: 2 }));
  }

  async query(database: string, statement: Statement): Promise<RawResult> {
    return toRawResult(await this.#pool(database).query(queryConfig(statement)));
  }

  async batch(database: string, statements: Statement[], mode: BatchMode): Promise<RawResult[]> {
    const client = await this.#pool(database).connect();
    // A checked-out client has no pool listener: a connection the server ends
    // mid-transaction (a dropped database) would otherwise crash the process.
    // The pending query fails with the same error, which the caller reports.
    let lost: Error | undefined;
    const onLost = (error: Error) => {
      lost = error;
    };
    client.on("error", onLost);
    try {
      await client.query(`BEGIN ${transactionModes(mode)}`);
      const results: RawResult[] = [];
      for (const statement of statements) {
        results.push(toRawResult(await client.query(queryConfig(statement))));
      }
      await client.query("COMMIT");
      return results;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.off("error", onLost);
      client.release(lost);
    }
  }

  async createDatabase(name: string): Promise<void> {
    assertDatabaseName(name);
    await this.#admin.query(`CREATE DATABASE "${name}"`);
  }

  async copyDatabase(template: string, name: string): Promise<void> {
    assertDatabaseName(template);
    assertDatabaseName(name);
    // CREATE DATABASE … TEMPLATE needs the template to have no open connections.
    await this.#endPool(template);
    await this.#admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  }

  async dropDatabase(name: string): Promise<void> {
    assertDatabaseName(name);
    await this.#endPool(name);
    await this.#admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }

  async close(): Promise<void> {
    await Promise.all([...this.#pools.keys()].map((name) => this.#endPool(name)));
    await this.#admin.end();
  }

  #pool(database: string): pg.Pool {
    assertDatabaseName(database);
    let pool = this.#pools.get(database);
    if (!pool) {
      const url = new URL(this.#url);
      url.pathname = `/${database}`;
      pool = withIdleErrorsHandled(new pg.Pool({ connectionString: url.href, max: 10, types: rawText }));
      this.#pools.set(database, pool);
    }
    return pool;
  }

  async #endPool(database: string): Promise<void> {
    const pool = this.#pools.get(database);
    this.#pools.delete(database);
    await pool?.end();
  }
}

/**
 * An idle pooled connection that the server ends (a dropped database, a restart)
 * emits `error` on its pool; the pool discards that client, and the next query
 * opens a new one. Unhandled, the event would crash the process.
 */
function withIdleErrorsHandled(pool: pg.Pool): pg.Pool {
  pool.on("error", () => undefined);
  return pool;
}

function queryConfig({ query, params }: Statement): pg.QueryArrayConfig {
  return { text: query, values: params, rowMode: "array" };
}

function toRawResult(result: pg.QueryArrayResult): RawResult {
  return {
    command: result.command,
    rowCount: result.rowCount,
    fields: result.fields.map((field) => ({ ...field, format: "text" as const })),
    rows: result.rows as (string | null)[][],
  };
}
