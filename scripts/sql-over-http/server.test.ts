import { randomUUID } from "node:crypto";
import { NeonDbError, type NeonQueryFunction, neon, neonConfig } from "@neondatabase/serverless";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SqlBackend } from "./backend.ts";
import { PgliteBackend } from "./pglite-backend.ts";
import { PostgresBackend } from "./postgres-backend.ts";
import { type SqlOverHttp, startSqlOverHttp } from "./server.ts";

// The same switch the Worker uses: plain HTTP to a loopback endpoint.
neonConfig.fetchEndpoint = (host, port) => `http://${host}:${port}/sql`;

const backends: [string, () => SqlBackend][] = [["pglite", () => new PgliteBackend({ database: "postgres" })]];
if (process.env.TEST_POSTGRES_URL) {
  const url = process.env.TEST_POSTGRES_URL;
  backends.push(["postgres", () => new PostgresBackend(url)]);
}

describe.each(backends)("SQL over HTTP on %s, through the Neon driver", (kind, makeBackend) => {
  let endpoint: SqlOverHttp;
  let database: string;
  let sql: NeonQueryFunction<false, false>;

  beforeAll(async () => {
    endpoint = await startSqlOverHttp(makeBackend());
    database = `protocol_${randomUUID().replaceAll("-", "")}`;
    await endpoint.backend.createDatabase(database);
    sql = neon(`postgres://gatehouse:local@127.0.0.1:${endpoint.port}/${database}`);
  });

  afterAll(async () => {
    await endpoint.backend.dropDatabase(database);
    await endpoint.close();
  });

  it("round-trips every common type as Postgres returns it", async () => {
    const [row] = await sql`
      SELECT 1::int2 AS int2, 2147483647::int4 AS int4, 9007199254740993::int8 AS int8,
             12345.678901234567890::numeric AS numeric, true AS bool, 'héllo ✓'::text AS text,
             'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid AS uuid, '2024-02-29'::date AS date,
             '2024-02-29T12:34:56.789Z'::timestamptz AS timestamptz,
             '{"a":[1,"x",null],"b":{"c":true}}'::jsonb AS jsonb,
             ARRAY[1,2,3]::int4[] AS int_array, ARRAY['a','b c',NULL]::text[] AS text_array,
             '\\xdeadbeef'::bytea AS bytea, NULL::text AS nothing`;
    expect(row).toEqual({
      int2: 1,
      int4: 2147483647,
      int8: "9007199254740993",
      numeric: "12345.678901234567890",
      bool: true,
      text: "héllo ✓",
      uuid: "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
      date: new Date("2024-02-29T00:00:00"),
      timestamptz: new Date("2024-02-29T12:34:56.789Z"),
      jsonb: { a: [1, "x", null], b: { c: true } },
      int_array: [1, 2, 3],
      text_array: ["a", "b c", null],
      bytea: Buffer.from("deadbeef", "hex"),
      nothing: null,
    });
  });

  it("passes parameters of every common type through", async () => {
    const bytes = Buffer.from([0, 1, 254, 255]);
    const when = new Date("2030-01-02T03:04:05.006Z");
    const [row] = await sql`
      SELECT ${42}::int4 AS n, ${"it's"}::text AS s, ${true}::bool AS b, ${when}::timestamptz AS t,
             ${JSON.stringify({ k: "v" })}::jsonb AS j, ${[1, 2]}::int4[] AS a, ${bytes}::bytea AS bin,
             ${null}::int4 AS nothing`;
    expect(row).toEqual({ n: 42, s: "it's", b: true, t: when, j: { k: "v" }, a: [1, 2], bin: bytes, nothing: null });
  });

  it("reports command and row count as Neon does", async () => {
    await sql`CREATE TABLE counted (id int PRIMARY KEY)`;
    const result = await sql.query("INSERT INTO counted VALUES (1), (2), (3)", [], { fullResults: true });
    expect(result).toMatchObject({ command: "INSERT", rowCount: 3 });
    const selected = await sql.query("SELECT id FROM counted ORDER BY id", [], { fullResults: true, arrayMode: true });
    expect(selected).toMatchObject({ command: "SELECT", rowCount: 3, rows: [[1], [2], [3]] });
    expect(selected.fields.map((f) => f.name)).toEqual(["id"]);
  });

  it("runs a batch as one transaction: an error in the third query leaves nothing of the first two", async () => {
    await sql`CREATE TABLE batched (id int PRIMARY KEY, label text NOT NULL)`;
    await expect(
      sql.transaction([
        sql`INSERT INTO batched VALUES (1, 'one')`,
        sql`INSERT INTO batched VALUES (2, 'two')`,
        sql`INSERT INTO batched VALUES (1, 'duplicate')`,
      ]),
    ).rejects.toMatchObject({ code: "23505" });
    expect(await sql`SELECT count(*)::int AS n FROM batched`).toEqual([{ n: 0 }]);

    const results = await sql.transaction(
      [sql`INSERT INTO batched VALUES (1, 'one') RETURNING id`, sql`SELECT label FROM batched`],
      { isolationLevel: "Serializable" },
    );
    expect(results).toEqual([[{ id: 1 }], [{ label: "one" }]]);
  });

  it("honours a read-only batch", async () => {
    await expect(sql.transaction([sql`CREATE TABLE forbidden (id int)`], { readOnly: true })).rejects.toMatchObject({
      code: "25006",
    });
  });

  it("delivers Postgres errors with code, constraint and detail", async () => {
    await sql`CREATE TABLE people (email text CONSTRAINT people_email_key UNIQUE)`;
    await sql`INSERT INTO people VALUES ('a@example.com')`;
    const error = await sql`INSERT INTO people VALUES ('a@example.com')`.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NeonDbError);
    expect(error).toMatchObject({
      code: "23505",
      constraint: "people_email_key",
      detail: "Key (email)=(a@example.com) already exists.",
      table: "people",
      severity: "ERROR",
    });
    await expect(sql`SELEC 1`).rejects.toMatchObject({ code: "42601" });
  });

  it("answers 50 parallel requests correctly", async () => {
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => sql`SELECT ${i}::int AS i, pg_sleep(0.001)::text AS s`),
    );
    expect(answers.map(([row]) => row?.i)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it("counts the SQL requests it serves per database", async () => {
    const stats = async () =>
      ((await (await fetch(`${endpoint.url}/databases/${database}/stats`)).json()) as { sql_requests: number })
        .sql_requests;
    const before = await stats();
    await sql`SELECT 1`;
    await sql.transaction([sql`SELECT 1`, sql`SELECT 2`]);
    expect(await stats()).toBe(before + 2);
  });

  it.runIf(kind === "postgres")("reports a connection the server ends mid-transaction, and keeps serving", async () => {
    const marker = `SELECT pg_sleep(30) AS lost_${randomUUID().replaceAll("-", "")}`;
    const refused = expect(sql.transaction([sql.query(marker)])).rejects.toMatchObject({ code: "57P01" });
    const ended = async (): Promise<boolean> => {
      const [row] = await sql`SELECT count(pg_terminate_backend(pid))::int AS ended
                              FROM pg_stat_activity WHERE query = ${marker}`;
      return row?.ended === 1 || ended();
    };
    await ended();
    await refused;
    expect(await sql`SELECT 1 AS one`).toEqual([{ one: 1 }]);
  });

  it("refuses an unknown database the way Postgres does", async () => {
    const other = neon(`postgres://gatehouse:local@127.0.0.1:${endpoint.port}/no_such_database`);
    await expect(other`SELECT 1`).rejects.toMatchObject({ code: "3D000" });
  });
});
