import { neon } from "@neondatabase/serverless";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMigratedDatabase } from "./migrated-database.ts";
import { seedEmployees } from "./seed.ts";

let database: Awaited<ReturnType<typeof startMigratedDatabase>>;
let url: string;

beforeAll(async () => {
  database = await startMigratedDatabase();
  url = database.url;
});
afterAll(() => database.close());

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
