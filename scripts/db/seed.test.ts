import { neon } from "@neondatabase/serverless";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PgliteBackend } from "../sql-over-http/pglite-backend.ts";
import { type SqlOverHttp, startSqlOverHttp } from "../sql-over-http/server.ts";
import { migrate } from "./migrate.ts";
import { seedEmployees } from "./seed.ts";

let endpoint: SqlOverHttp;
let url: string;

beforeAll(async () => {
  endpoint = await startSqlOverHttp(new PgliteBackend({ database: "postgres" }));
  url = `postgres://gatehouse:local@127.0.0.1:${endpoint.port}/postgres`;
  await migrate(url);
});
afterAll(() => endpoint.close());

describe("npm run db:seed", () => {
  it("loads realistic employees once: a second run adds nothing", async () => {
    expect(await seedEmployees(url, 6_000)).toBe(6_000);
    expect(await seedEmployees(url, 6_000)).toBe(0);
    const sql = neon(url);
    const [stats] = await sql`
      SELECT count(*)::int AS n, count(DISTINCT city)::int AS cities, min(emp_dob)::text AS earliest, max(emp_dob)::text AS latest
      FROM employees`;
    expect(stats).toMatchObject({ n: 6_000 });
    expect(stats?.cities).toBeGreaterThan(20);
    expect(stats?.earliest >= "1950-01-01" && stats?.latest <= "2005-12-31").toBe(true);
  });
});
