/**
 * `npm run db:seed [-- --count 5000]`: loads realistic employees into DATABASE_URL
 * (the environment's, else .dev.vars') so filtering and sorting can be tried from
 * /docs at once. Ids 1..count; existing ids are left alone, so it can run again.
 */
import { parseArgs } from "node:util";
import { neon } from "@neondatabase/serverless";
import "../../src/db/client.ts";
import { readDevVars } from "../dev-vars.ts";
import { generateEmployees, insertEmployeesStatement } from "./employee-generator.ts";

const CHUNK = 5_000;

/** Inserts employees 1..count in chunks of CHUNK rows; returns how many were new. */
export async function seedEmployees(databaseUrl: string, count: number): Promise<number> {
  const sql = neon(databaseUrl, { fullResults: true });
  let inserted = 0;
  for (let first = 1; first <= count; first += CHUNK) {
    const [query, params] = insertEmployeesStatement(generateEmployees(Math.min(CHUNK, count - first + 1), first));
    inserted += (await sql.query(query, params)).rowCount ?? 0;
  }
  return inserted;
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { count: { type: "string", default: "5000" } } });
  const url = process.env.DATABASE_URL ?? readDevVars().DATABASE_URL;
  const count = Number(values.count);
  if (!url || !Number.isInteger(count) || count < 1) {
    console.error("usage: npm run db:seed -- [--count 5000]   (DATABASE_URL from the environment or .dev.vars)");
    process.exit(1);
  }
  console.log(`seeded ${await seedEmployees(url, count)} new employees (ids 1..${count})`);
}
